import { beforeAll, describe, expect, it } from "vitest";
import { sql as drizzleSql } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { exports } from "@/db/schema";
import { createKey, createOrg, createUser, event, setPlatformRole } from "@/db/testing/fixtures";
import { createVendorAdmin } from "@/db/testing/vendor-fixtures";
import { createInvite } from "@/lib/members/invites";
import { setMemberExternalId } from "@/lib/members/members";
import { openSupportAccess } from "@/lib/support/support-access";
import { createOrganization, renameOrganization } from "@/lib/admin/organizations";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { createVendorKey } from "@/lib/admin/vendor-keys";
import { createOrgKey } from "@/lib/org-keys/org-api-keys";
import { NO_REQUEST } from "@/lib/auth/request-context";
import { parseSchemaVersion } from "@/lib/schemas/definition";
import { POST as ingestRoute } from "@/app/api/v1/events/route";
import { GET as searchRoute } from "@/app/api/v1/orgs/[org]/events/route";
import { GET as facetsRoute } from "@/app/api/v1/orgs/[org]/events/facets/route";
import { GET as topValuesRoute } from "@/app/api/v1/orgs/[org]/events/top/route";
import { GET as histogramRoute } from "@/app/api/v1/orgs/[org]/events/histogram/route";
import { GET as estimateRoute } from "@/app/api/v1/orgs/[org]/exports/estimate/route";
import { POST as createExportRoute } from "@/app/api/v1/orgs/[org]/exports/route";
import { actionFailure, UNEXPECTED_ERROR_MESSAGE } from "@/lib/access/server-action";
import { findOrganization, resolveOrgScope } from "@/lib/access/scope";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { encodeCursor } from "@/lib/events/cursor";
import { runExportJob } from "@/lib/events/export/jobs";
import { ingest } from "@/lib/events/ingest";
import { firstPage, searchFingerprint } from "@/lib/events/search";
import { AppError } from "@/lib/errors";
import { toErrorResponse } from "./error-response";
import { httpStatus } from "@/lib/api/error-response";

/*
 * Inputs a hostile review sent to a production build that made it answer 500:
 * each must now be the DESIGN error JSON with a 4xx, naming the field.
 */

type ErrorBody = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };

let slug: string;
let organizationId: string;
let secret: string;
let principal: ApiKeyPrincipal;

beforeAll(async () => {
  const org = await createOrg("hostile");
  slug = org.slug;
  organizationId = org.id;
  const key = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
  secret = key.secret;
  principal = key.principal;
  await ingest(principal, { events: [event(), event({ action: "test.other" })] }, null);
});

const get = (handler: typeof searchRoute, path: string, query: string, org = slug) =>
  handler(new Request(`http://localhost/api/v1/orgs/${encodeURIComponent(org)}/${path}?${query}`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({ org }) });

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  const text = await response.text();
  expect(text).toMatch(/^\{"error":\{"code":"[a-z_]+","message":/);
  expect(text).not.toMatch(/select |params:|\bat [^\s]+\.(ts|js):\d+/i);
  return (JSON.parse(text) as ErrorBody).error;
}

const FILTER_ROUTES: [string, typeof searchRoute, string][] = [
  ["search", searchRoute, "events"],
  ["facets", facetsRoute, "events/facets"],
  ["top values", topValuesRoute, "events/top"],
  ["histogram", histogramRoute, "events/histogram"],
  ["export estimate", estimateRoute, "exports/estimate"],
];

const HOSTILE_FILTERS: [string, Record<string, string>, string][] = [
  ["a NUL in a free-text term", { q: "a\u0000b" }, "q[0:3]"],
  ["a NUL in a field term", { q: "action:test.happened actor:u\u0000" }, "q[21:29]"],
  ["a NUL in a negated quoted term", { q: '-"x\u0000"' }, "q[0:5]"],
  ["occurred: year 0", { q: "occurred:0000-01-01" }, "q[0:19]"],
  ["occurred: the last day of 9999", { q: "occurred:9999-12-31" }, "q[0:19]"],
  ["occurred: a range ending in year 10000", { q: "occurred:2020-01-01..9999-12-31T23:59:59-01:00" }, "q[0:46]"],
  ["occurred: 999999 days back", { q: "occurred:>999999d" }, "q[0:17]"],
  ["occurred: 999999 hours back", { q: "-occurred:<999999h" }, "q[0:18]"],
  ["from in year 0", { from: "0000-01-01T00:00:00Z" }, "from"],
  ["to in year 10000 by its offset", { to: "9999-12-31T23:59:59-01:00" }, "to"],
  ["from before year 1 by its offset", { from: "0001-01-01T00:00:00+01:00" }, "from"],
];

describe("filters PostgreSQL cannot take are a 400 naming the field, on every route that filters", () => {
  for (const [routeName, handler, path] of FILTER_ROUTES) {
    it.each(HOSTILE_FILTERS)(`${routeName}: %s`, async (_name, params, issuePath) => {
      const response = await get(handler, path, new URLSearchParams(params).toString());
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(["invalid_query", "invalid_request"]).toContain(error.code);
      expect(error.issues?.map((i) => i.path)).toContain(issuePath);
    });
  }

  it("the widest accepted range still answers", async () => {
    const response = await get(searchRoute, "events", "from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&q=occurred%3A0001-01-01..9999-12-30%20occurred%3A%3E36500d");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(2);
  });
});

describe("other hostile references", () => {
  it("a NUL in the organization reference is a 404, as for any unknown organization", async () => {
    expect(await findOrganization("ac\u0000me")).toBeNull();
    const response = await get(searchRoute, "events", "", `${slug}\u0000`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    const ingested = await ingestRoute(
      new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ organization_id: `${slug}\u0000`, event: event() }) }),
      undefined,
    );
    expect(ingested.status).toBe(404);
  });

  it.each(["0000-01-01T00:00:00.000Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z"])("a cursor forged with the right fingerprint and the time %s is a 400", async (at) => {
    const scope = await resolveOrgScope(principal, slug);
    const fingerprint = searchFingerprint(scope, { limit: 50, order: "desc" });
    const cursor = encodeCursor({ occurredAt: at, id: "019a0000-0000-7000-8000-000000000001" }, organizationId, fingerprint);
    const response = await get(searchRoute, "events", `cursor=${cursor}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues?.[0]?.path).toBe("cursor");
  });
});

describe("the viewer page's first page", () => {
  it.each<[string, { q: string; from: string | null; to: string | null }, string]>([
    ["a NUL in q", { q: "ada\u0000", from: null, to: null }, "q[0:4]"],
    ["occurred: year 0", { q: "occurred:0000-01-01", from: null, to: null }, "q[0:19]"],
    ["from in year 0", { q: "", from: "0000-01-01T00:00:00.000Z", to: null }, "from"],
    ["to past 9999", { q: "", from: null, to: "+010000-01-01T00:00:00.000Z" }, "to"],
  ])("%s is shown as an issue, not an error page", async (_name, view, issuePath) => {
    const scope = await resolveOrgScope(principal, slug);
    const result = await firstPage(scope, { ...view, order: "desc", limit: 50 });
    expect(result.page).toBeNull();
    expect(result.issues.map((i) => i.path)).toContain(issuePath);
  });
});

describe("export jobs", () => {
  const post = (body: unknown) =>
    createExportRoute(
      new Request(`http://localhost/api/v1/orgs/${slug}/exports`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
      { params: Promise.resolve({ org: slug }) },
    );

  it.each<[string, Record<string, unknown>, number, string]>([
    ["from in year 0", { from: "0000-01-01T00:00:00Z" }, 422, "from"],
    ["to past 9999", { to: "9999-12-31T23:59:59-00:01" }, 422, "to"],
    ["q with a NUL", { q: "x\u0000" }, 400, "q[0:2]"],
    ["q out of range", { q: "occurred:>999999d" }, 400, "q[0:17]"],
  ])("a job with %s is refused when it is created, not failed three times later", async (_name, body, status, issuePath) => {
    const [{ n: before }] = await sql()<{ n: string }[]>`select count(*) as n from exports where organization_id = ${organizationId}`;
    const response = await post(body);
    expect(response.status).toBe(status);
    expect((await errorOf(response)).issues?.map((i) => i.path)).toContain(issuePath);
    const [{ n: after }] = await sql()<{ n: string }[]>`select count(*) as n from exports where organization_id = ${organizationId}`;
    expect(after).toBe(before);
  });

  it("a failed job shows the caller no SQL and no parameters", async () => {
    // A job stored before the edge checked times: its range reaches the database's limits.
    const [row] = await db()
      .insert(exports)
      .values({ organizationId, requestedBy: `api_key:${principal.keyId}`, query: { q: "", from: "0000-01-01T00:00:00.000Z" }, format: "csv" })
      .returning({ id: exports.id });
    await expect(runExportJob({ organizationId, exportId: row!.id }, { id: 0, attempts: 3, heartbeat: async () => {} })).rejects.toThrow();
    const [stored] = await sql()<{ state: string; error: string }[]>`select state, error from exports where organization_id = ${organizationId} and id = ${row!.id}`;
    expect(stored!.state).toBe("failed");
    expect(stored!.error).not.toMatch(/select|params|"organization_id"|\$\d/i);
  });
});

describe("metadata keys", () => {
  const postEvent = (body: string) =>
    ingestRoute(new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body }), undefined);

  it.each([
    ["event metadata", '{"metadata":{"__proto__":"x","ok":1}}', "event.metadata.__proto__"],
    ["actor metadata", '{"actor":{"type":"user","id":"u_1","metadata":{"__proto__":"x"}}}', "event.actor.metadata.__proto__"],
    ["target metadata", '{"targets":[{"type":"document","id":"d","metadata":{"__proto__":1}}]}', "event.targets[0].metadata.__proto__"],
  ])("__proto__ in %s is a 422 naming it, not silently dropped", async (_name, overrides, issuePath) => {
    // JSON.parse makes `__proto__` an own key; written as JSON text so that JavaScript does not swallow it here.
    const base = JSON.stringify(event()).slice(0, -1);
    const body = `{"event":${base},${overrides.slice(1, -1)}}}`;
    const [{ n: before }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${organizationId}`;
    const response = await postEvent(body);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).issues?.map((i) => i.path)).toContain(issuePath);
    const [{ n: after }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${organizationId}`;
    expect(after).toBe(before);
  });
});

describe("values the database refuses, should one get past the edge", () => {
  const refusals = async () => [
    await sql()`select ${"a\u0000b"}::text`.catch((e: unknown) => e),
    await db()
      .execute(drizzleSql`select ${"0000-01-01T00:00:00.000Z"}::timestamptz`)
      .catch((e: unknown) => e),
  ];

  it("are a 400 in the API and an error result in a server action, never a 500", async () => {
    for (const error of await refusals()) {
      const response = toErrorResponse(error);
      expect(response.status).toBe(400);
      const body = await errorOf(response);
      expect(body.message).not.toMatch(/0000|\u0000/);
      expect(actionFailure(error).error.message).not.toBe(UNEXPECTED_ERROR_MESSAGE);
    }
  });
});

describe("server action inputs with a NUL", () => {
  /** What a settings action would return for the call (lib/access/server-action.ts): a refusal that names the problem, not the generic "something went wrong". */
  const settingsResult = (call: Promise<unknown>) =>
    call.then(
      () => ({ ok: true }),
      (error: unknown) => {
        const failure = actionFailure(error);
        expect(failure.error.message).not.toBe(UNEXPECTED_ERROR_MESSAGE);
        return failure;
      },
    );

  it("settings: API key names, invites and external ids are error results", async () => {
    const org = await createOrg("hostile-settings");
    const owner = await createUser(org.id, "owner");
    const member = await createUser(org.id, "member");
    const scope = await resolveOrgScope(owner, org.slug);
    expect(await settingsResult(createOrgKey(scope, NO_REQUEST, { name: "key\u0000", scopes: ["events:read"] }))).toMatchObject({ ok: false });
    expect(await settingsResult(createInvite(scope, NO_REQUEST, { email: "a\u0000@b.test", role: "member", externalId: "" }))).toMatchObject({ ok: false });
    expect(await settingsResult(createInvite(scope, NO_REQUEST, { email: "a@b.test", role: "member", externalId: "u\u0000" }))).toMatchObject({ ok: false });
    expect(await settingsResult(setMemberExternalId(scope, NO_REQUEST, { userId: member.userId, externalId: "u\u0000" }))).toMatchObject({ ok: false });
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from api_keys where organization_id = ${org.id}`;
    expect(Number(n)).toBe(0);
  });

  it("console: organization names, vendor key names and schema forms are refused naming the field", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "orgs.manage");
    const issuePaths = async (call: () => unknown) => {
      const error = await Promise.resolve().then(call).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(httpStatus((error as AppError))).toBe(422);
      return (error as AppError).issues?.map((i) => i.path);
    };
    expect(await issuePaths(() => createOrganization(admin, { slug: `nul-${organizationId.slice(0, 8)}`, name: "Acme\u0000" }))).toEqual(["name"]);
    expect(await issuePaths(() => renameOrganization(admin, organizationId, { name: "\u0000" }))).toEqual(["name"]);
    expect(await issuePaths(() => createVendorKey(admin, { name: "deploy\u0000", scopes: ["events:read"] }))).toEqual(["name"]);
    expect(await issuePaths(() => parseSchemaVersion({ display: { label: "Shared\u0000", description: "\ud800" } }))).toEqual(["display.label", "display.description"]);
    expect(await issuePaths(() => parseSchemaVersion({ metadata_schema: { type: "object", properties: { a: { const: "\u0000" } } } }))).toEqual(["metadata_schema"]);
    expect(await issuePaths(() => parseSchemaVersion({ actor_schema: { type: "object", properties: { "k\u0000": {} } } }))).toEqual(["actor_schema"]);
  });

  it("support access: a reason with a NUL is refused naming it", async () => {
    const staff = await setPlatformRole(await createUser(null, null), "vendor_support");
    const organization = (await findOrganization(slug))!;
    const error = await openSupportAccess(staff, organization, "Ticket 4711\u0000 needs a look", NO_REQUEST, 15).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).issues?.map((i) => i.path)).toEqual(["reason"]);
  });
});
