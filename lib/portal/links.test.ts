import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { POST } from "@/app/api/v1/portal-links/route";
import { eventsOf } from "@/db/testing/app-event-assertions";
import { createKey, createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { createPortalKey, portalLinkCount, setPortalSettings, tokenOf } from "@/db/testing/portal-fixtures";
import { vendorOrgId } from "@/db/testing/vendor-fixtures";
import { requirePortalLinkCaller } from "./links";

type ErrorBody = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };

function post(body: unknown, secret: string | null, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://localhost/api/v1/portal-links", {
      method: "POST",
      headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    undefined,
  );
}

const body = (organizationId: string, overrides: Record<string, unknown> = {}) => ({
  organization_id: organizationId,
  user: { id: "u_portal_1", email: "Pat@Customer.test", name: "Pat Portal" },
  role: "auditor",
  intent: "audit_logs",
  ...overrides,
});

beforeAll(() => setPortalSettings({ returnOrigins: ["https://app.vendor.test", "http://localhost:4000"] }));

describe("POST /api/v1/portal-links", () => {
  it("201 with a one-time link that expires in 5 minutes; only the token's hash is stored, and the vendor log records the link without it", async () => {
    const org = await createOrg();
    const { secret, principal } = await createPortalKey();
    const before = Date.now();
    const response = await post(body(org.slug, { return_url: "https://app.vendor.test/settings?tab=audit" }), secret);
    expect(response.status).toBe(201);
    const { link, expires_at } = (await response.json()) as { link: string; expires_at: string };
    expect(link).toMatch(/^http:\/\/localhost:\d+\/portal\/[A-Za-z0-9_-]{43}$/);
    const expiresAt = Date.parse(expires_at);
    expect(expiresAt - before).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
    expect(expiresAt - before).toBeLessThanOrEqual(5 * 60_000 + 5000);

    const token = tokenOf(link);
    const rows = await sql()<Record<string, unknown>[]>`select * from portal_links where organization_id = ${org.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      token_hash: createHash("sha256").update(token).digest("hex"),
      role: "auditor",
      intent: "audit_logs",
      user_external_id: "u_portal_1",
      user_email: "pat@customer.test",
      user_name: "Pat Portal",
      return_url: "https://app.vendor.test/settings?tab=audit",
      created_by_key: principal.keyId,
      used_at: null,
    });
    expect(JSON.stringify(rows[0])).not.toContain(token);

    const events = (await eventsOf(await vendorOrgId(), "orgtrail.portal_link.created")).filter((e) => e.metadata.organization === org.slug);
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toMatchObject({ type: "api_key", id: principal.keyId });
    expect(events[0]!.metadata).toMatchObject({ role: "auditor", intent: "audit_logs", email: "pat@customer.test", return_url: "https://app.vendor.test/settings?tab=audit", expires_at });
    expect(events[0]!.targets.map((t) => `${t.type}:${t.id}`)).toEqual([`organization:${org.id}`, "user:u_portal_1"]);
    expect(JSON.stringify(events[0])).not.toContain(token);
  });

  it("takes the organization by id or slug; an unknown organization and the vendor's own are 404", async () => {
    const org = await createOrg();
    const { secret } = await createPortalKey();
    expect((await post(body(org.id), secret)).status).toBe(201);
    expect((await post(body(org.slug), secret)).status).toBe(201);
    for (const ref of ["no-such-org", "00000000-0000-4000-8000-000000000000", await vendorOrgId()]) {
      const response = await post(body(ref), secret);
      expect(response.status, ref).toBe(404);
      expect(((await response.json()) as ErrorBody).error.code).toBe("not_found");
    }
  });

  it("only a vendor-wide key with portal:write: no key 401, a bad key 401, other scopes or an org-bound key 403, a browser session 403", async () => {
    const org = await createOrg();
    const count = await portalLinkCount();
    expect((await post(body(org.id), null, { authorization: "" })).status).toBe(401);
    expect((await post(body(org.id), "ot_not_a_key")).status).toBe(401);
    const eventsOnly = await createKey(null, ["events:write", "events:read", "exports:write", "schemas:write"]);
    const orgBound = await createKey(org.id, ["portal:write"]);
    for (const secret of [eventsOnly.secret, orgBound.secret]) {
      const response = await post(body(org.id), secret);
      expect(response.status).toBe(403);
      expect(((await response.json()) as ErrorBody).error.code).toBe("forbidden");
    }
    const staff = await setPlatformRole(await createUser(null, null), "vendor_admin");
    expect(() => requirePortalLinkCaller(staff)).toThrow(/not from a browser session/);
    const owner = await createUser(org.id, "owner");
    expect(() => requirePortalLinkCaller(owner)).toThrow(/not from a browser session/);
    expect(await portalLinkCount()).toBe(count);
  });

  it.each([
    ["no organization_id", (id: string) => body(id, { organization_id: undefined }), "organization_id"],
    ["no user", (id: string) => body(id, { user: undefined }), "user"],
    ["a user without id", (id: string) => body(id, { user: { email: "a@b.test", name: "A" } }), "user.id"],
    ["a bad email", (id: string) => body(id, { user: { id: "u", email: "not-an-email", name: "A" } }), "user.email"],
    ["an empty name", (id: string) => body(id, { user: { id: "u", email: "a@b.test", name: " " } }), "user.name"],
    ["an id over 256 characters", (id: string) => body(id, { user: { id: "x".repeat(257), email: "a@b.test", name: "A" } }), "user.id"],
    ["a NUL in the name", (id: string) => body(id, { user: { id: "u", email: "a@b.test", name: "A\u0000B" } }), "user.name"],
    ["the owner role", (id: string) => body(id, { role: "owner" }), "role"],
    ["an unknown intent", (id: string) => body(id, { intent: "billing" }), "intent"],
    ["a javascript: return_url", (id: string) => body(id, { return_url: "javascript:alert(1)" }), "return_url"],
    ["an unknown field", (id: string) => body(id, { expires_in: 60 }), ""],
    ["an array body", () => [1], ""],
  ])("%s is a 422 naming the field, and nothing is written", async (_, make, path) => {
    const org = await createOrg();
    const { secret } = await createPortalKey();
    const count = await portalLinkCount();
    const response = await post(make(org.id), secret);
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe("validation_failed");
    expect(error.issues?.length).toBeGreaterThan(0);
    if (path) expect(error.issues!.map((i) => i.path)).toContain(path);
    expect(await portalLinkCount()).toBe(count);
  });

  it("malformed JSON is a 400 and another content type a 415, in the error JSON", async () => {
    const { secret } = await createPortalKey();
    const bad = await post("{not json", secret);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe("invalid_json");
    expect((await post("{}", secret, { "content-type": "text/plain" })).status).toBe(415);
  });

  it("a return_url must be on an allowed return origin: 422 otherwise", async () => {
    const org = await createOrg();
    const { secret } = await createPortalKey();
    expect((await post(body(org.id, { return_url: "http://localhost:4000/back" }), secret)).status).toBe(201);
    for (const url of ["https://evil.test/", "https://app.vendor.test.evil.test/", "http://app.vendor.test/", "https://app.vendor.test:8443/"]) {
      const response = await post(body(org.id, { return_url: url }), secret);
      expect(response.status, url).toBe(422);
      const { error } = (await response.json()) as ErrorBody;
      expect(error.issues?.[0]).toMatchObject({ path: "return_url", message: "must be on one of https://app.vendor.test, http://localhost:4000" });
    }
  });

  it("a user id that is another member's external id in the organization is a 409", async () => {
    const org = await createOrg();
    await createUser(org.id, "member", "u_taken");
    const { secret } = await createPortalKey();
    const response = await post(body(org.id, { user: { id: "u_taken", email: "someone-else@customer.test", name: "Else" } }), secret);
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error.issues?.[0]?.path).toBe("user.id");
  });
});
