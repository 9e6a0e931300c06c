import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { GET, PATCH, POST } from "@/app/api/v1/orgs/[org]/route";
import { countEvents, eventsOf } from "@/db/testing/app-event-assertions";
import { apiStatus, createKey, createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { organizationForVendor, setOrganizationAlias } from "./organization-alias";
import { listOrganizations } from "./organizations";

const newAlias = () => `org_${randomUUID().replaceAll("-", "").toUpperCase()}`;
const admin = async () => requireVendorPermission(await createVendorAdmin(), "orgs.manage");
const aliasOf = async (organizationId: string) => (await sql()<{ alias: string | null }[]>`select alias from organizations where id = ${organizationId}`)[0]!.alias;
const aliasEvents = async (organizationId: string) => (await eventsOf(await vendorOrgId(), "orgtrail.organization.alias_changed")).filter((e) => e.targets[0]?.id === organizationId);

describe("setOrganizationAlias", () => {
  it("sets, moves and clears an alias, each change one vendor-log event; the same alias again changes nothing", async () => {
    const user = await createVendorAdmin();
    const actor = requireVendorPermission(user, "orgs.manage");
    const org = await createOrg();
    const [first, second] = [newAlias(), newAlias()];
    expect(await setOrganizationAlias(actor, org.id, first)).toEqual({ changed: true, organization: { id: org.id, slug: org.slug, name: `Test ${org.slug}`, alias: first } });
    expect((await setOrganizationAlias(actor, org.id, first)).changed).toBe(false);
    expect((await listOrganizations()).find((o) => o.id === org.id)?.alias).toBe(first);
    await setOrganizationAlias(actor, org.id, second);
    await setOrganizationAlias(actor, org.id, null);
    expect(await aliasOf(org.id)).toBeNull();
    expect((await setOrganizationAlias(actor, org.id, null)).changed).toBe(false);

    const events = await aliasEvents(org.id);
    expect(events.map((e) => e.metadata)).toEqual([
      { organization: org.slug, alias: first },
      { organization: org.slug, alias: second, previous_alias: first },
      { organization: org.slug, previous_alias: second },
    ]);
    expect(events[0]).toMatchObject({ actor: { type: "user", id: user.userId }, targets: [{ type: "organization", id: org.id, name: `Test ${org.slug}` }] });
  });

  it.each([
    ["no prefix", "01EHZNVPK3SFK441A1RGBFSHRT"],
    ["another prefix", "conn_01EHZNVPK3SFK441A1RGBFSHRT"],
    ["nothing after the prefix", "org_"],
    ["a dash", "org_01EHZ-NVPK"],
    ["a space", "org_01EHZ NVPK"],
    ["65 characters after the prefix", `org_${"A".repeat(65)}`],
    ["an empty string", ""],
    ["a NUL", "org_01\u0000"],
  ])("refuses %s with an issue on alias, and changes nothing", async (_name, alias) => {
    const org = await createOrg();
    const vendorEvents = await countEvents(await vendorOrgId());
    await expect(setOrganizationAlias(await admin(), org.id, alias)).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "alias" }] });
    expect(await aliasOf(org.id)).toBeNull();
    expect(await countEvents(await vendorOrgId())).toBe(vendorEvents);
  });

  it("a taken alias is a conflict naming its holder; the vendor organization and an unknown id are refused", async () => {
    const actor = await admin();
    const [holder, other] = [await createOrg(), await createOrg()];
    const alias = newAlias();
    await setOrganizationAlias(actor, holder.id, alias);
    await expect(setOrganizationAlias(actor, other.id, alias)).rejects.toMatchObject({ code: "conflict", issues: [{ path: "alias", message: expect.stringContaining(holder.slug) }] });
    expect(await aliasOf(other.id)).toBeNull();
    await expect(setOrganizationAlias(actor, await vendorOrgId(), newAlias())).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "alias" }] });
    await expect(setOrganizationAlias(actor, randomUUID(), newAlias())).rejects.toMatchObject({ code: "not_found" });
    await expect(setOrganizationAlias(actor, "acme", newAlias())).rejects.toMatchObject({ code: "not_found" });
  });

  it("two admins giving one alias to two organizations at once: one wins, the other gets a conflict", async () => {
    const actor = await admin();
    const [a, b] = [await createOrg(), await createOrg()];
    const alias = newAlias();
    const results = await Promise.allSettled([setOrganizationAlias(actor, a.id, alias), setOrganizationAlias(actor, b.id, alias)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    expect([await aliasOf(a.id), await aliasOf(b.id)].filter(Boolean)).toEqual([alias]);
  });
});

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;
type ErrorBody = { error: { code: string; issues?: { path: string; message: string }[] } };

function call(handler: Handler, org: string, secret: string | null, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json", ...(secret === null ? { authorization: "" } : { authorization: `Bearer ${secret}` }) };
  const method = handler === GET ? "GET" : handler === PATCH ? "PATCH" : "POST";
  const init = { method, headers, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) };
  return Promise.resolve(handler(new Request(`http://localhost/api/v1/orgs/${encodeURIComponent(org)}`, init), { params: Promise.resolve({ org }) }));
}

describe("GET and PATCH /api/v1/orgs/{org}", () => {
  it("a vendor key with orgs:write sets the alias by slug, reads it back by id, slug or alias, and clears it with null", async () => {
    const org = await createOrg();
    const { secret } = await createKey(null, ["orgs:write"]);
    const alias = newAlias();
    const set = await call(PATCH, org.slug, secret, { alias });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ data: { id: org.id, slug: org.slug, name: `Test ${org.slug}`, alias } });
    for (const ref of [org.id, org.slug, alias]) expect(await (await call(GET, ref, secret)).json()).toMatchObject({ data: { id: org.id, alias } });
    const [event] = await aliasEvents(org.id);
    expect(event).toMatchObject({ actor: { type: "api_key" }, metadata: { organization: org.slug, alias } });

    const cleared = await call(PATCH, alias, secret, { alias: null });
    expect(await cleared.json()).toMatchObject({ data: { id: org.id, alias: null } });
    expect(await aliasOf(org.id)).toBeNull();
    expect((await call(GET, alias, secret)).status).toBe(404);
  });

  it.each([
    ["a bad format", 422, "validation_failed", "alias", { alias: "workos-123" }],
    ["a number", 422, "validation_failed", "alias", { alias: 42 }],
    ["no alias key", 422, "validation_failed", "alias", {}],
    ["another key", 422, "validation_failed", "", { alias: null, name: "x" }],
    ["an array", 422, "validation_failed", "", []],
    ["malformed JSON", 400, "invalid_json", null, "{alias:"],
  ])("PATCH with %s → %i %s, nothing changed", async (_name, status, code, path, body) => {
    const org = await createOrg();
    const { secret } = await createKey(null, ["orgs:write"]);
    const response = await call(PATCH, org.slug, secret, body);
    expect(response.status).toBe(status);
    const error = ((await response.json()) as ErrorBody).error;
    expect(error.code).toBe(code);
    if (path !== null) expect(error.issues?.map((i) => i.path)).toContain(path);
    expect(await aliasOf(org.id)).toBeNull();
  });

  it("a taken alias is a 409 on alias", async () => {
    const [holder, other] = [await createOrg(), await createOrg()];
    const { secret } = await createKey(null, ["orgs:write"]);
    const alias = newAlias();
    expect((await call(PATCH, holder.id, secret, { alias })).status).toBe(200);
    const response = await call(PATCH, other.id, secret, { alias });
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({ code: "conflict", issues: [{ path: "alias" }] });
    expect(await aliasOf(other.id)).toBeNull();
  });

  it("404 for an org-bound key, a key without orgs:write, the vendor organization and an unknown one; 401 without credentials; 405 for POST", async () => {
    const org = await createOrg();
    const alias = newAlias();
    await setOrganizationAlias(await admin(), org.id, alias);
    const refused = [await createKey(org.id, ["orgs:write", "events:write", "events:read"]), await createKey(null, ["events:write", "events:read", "exports:write", "schemas:write", "portal:write"])];
    for (const { secret } of refused) {
      for (const ref of [org.id, org.slug, alias]) {
        expect((await call(GET, ref, secret)).status).toBe(404);
        // 404 before the body is read: a bad body tells a stranger nothing either.
        expect((await call(PATCH, ref, secret, { alias: "bad" })).status).toBe(404);
        expect((await call(PATCH, ref, secret, { alias: null })).status).toBe(404);
      }
    }
    expect(await aliasOf(org.id)).toBe(alias);
    const { secret } = await createKey(null, ["orgs:write"]);
    for (const ref of ["vendor", await vendorOrgId(), randomUUID(), newAlias(), "no-such-org"]) {
      expect((await call(GET, ref, secret)).status).toBe(404);
      expect((await call(PATCH, ref, secret, { alias: newAlias() })).status).toBe(404);
    }
    expect((await call(GET, org.slug, null)).status).toBe(401);
    expect((await call(PATCH, org.slug, null, { alias: null })).status).toBe(401);
    const post = await call(POST, org.slug, secret, {});
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, PATCH");
  });

  it("sessions: a vendor admin may, a customer owner and vendor support get 404", async () => {
    const org = await createOrg();
    expect((await organizationForVendor(await createVendorAdmin(), org.slug)).organization.id).toBe(org.id);
    const owner = await createUser(org.id, "owner");
    expect(await apiStatus(organizationForVendor(owner, org.slug))).toBe(404);
    const support = await setPlatformRole(await createUser(null, null), "vendor_support");
    expect(await apiStatus(organizationForVendor(support, org.slug))).toBe(404);
  });
});
