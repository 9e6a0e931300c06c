import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { POST as postEvent } from "@/app/audit_logs/events/route";
import { POST as postExport } from "@/app/audit_logs/exports/route";
import { GET as getExport } from "@/app/audit_logs/exports/[id]/route";
import { GET as downloadExport } from "@/app/audit_logs/exports/[id]/download/route";
import { GET as listActions } from "@/app/audit_logs/actions/route";
import { GET as listSchemas, POST as postSchema } from "@/app/audit_logs/actions/[action]/schemas/route";
import { GET as getRetention, PUT as putRetention } from "@/app/organizations/[id]/audit_logs_retention/route";
import { POST as generateLink } from "@/app/portal/generate_link/route";
import { GET as unknownRoute } from "@/app/audit_logs/[...path]/route";
import { POST as revokeLink } from "@/app/portal/revoke_link/route";
import { followPortalLink } from "@/lib/portal/follow";
import { findLiveSession } from "@/lib/auth/sessions";
import { tokenOf } from "@/db/testing/portal-fixtures";
import { runExportJob } from "@/lib/events/export/jobs";
import type { ApiKeyScope } from "@/lib/auth/api-key-secret";

/*
 * The WorkOS-compatible routes called as route handlers with real requests and
 * a real database: each answer's status and WorkOS shape, and the bad inputs.
 * e2e/workos-sdk.spec.ts drives the same routes with the unmodified WorkOS SDK.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

async function call(handler: Handler, path: string, options: { secret?: string; method?: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, string | string[]> } = {}) {
  const headers: Record<string, string> = { ...(options.secret ? { authorization: `Bearer ${options.secret}` } : {}), ...(options.body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers };
  const request = new Request(`http://localhost${path}`, { method: options.method ?? (options.body !== undefined ? "POST" : "GET"), headers, body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body) });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text && response.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const ALL_SCOPES: ApiKeyScope[] = ["events:write", "events:read", "exports:write", "schemas:write", "portal:write", "retention:write"];
const vendorKey = (scopes: ApiKeyScope[] = ALL_SCOPES) => createKey(null, scopes);
const uniqueAction = () => `wo${randomUUID().slice(0, 8)}.document.updated`;

async function eventsOf(organizationId: string) {
  return sql()<{ id: string; action: string; idempotency_key: string | null }[]>`select id, action, idempotency_key from audit_events where organization_id = ${organizationId} and action not like 'orgtrail.%' order by seq`;
}

const workosEvent = (overrides: Record<string, unknown> = {}) => {
  const { occurred_at, ...rest } = event(overrides);
  return { occurred_at, ...rest };
};

describe("the WorkOS error shape", () => {
  it("401 without a key, with a bad key, and for a session's cookie: `{message, code}`", async () => {
    const org = await createOrg();
    const none = await call(postEvent, "/audit_logs/events", { body: { organization_id: org.id, event: workosEvent() } });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ code: "unauthorized", message: expect.stringContaining("Bearer") });
    expect(none.json).not.toHaveProperty("error");
    const bad = await call(postEvent, "/audit_logs/events", { secret: "ot_not_a_key", body: { organization_id: org.id, event: workosEvent() } });
    expect(bad.status).toBe(401);
    const cookie = await call(postEvent, "/audit_logs/events", { headers: { cookie: "next-auth.session-token=forged" }, body: { organization_id: org.id, event: workosEvent() } });
    expect(cookie.status).toBe(401);
    expect(await eventsOf(org.id)).toEqual([]);
  });

  it("422 with `errors` naming each field, 400 for bad JSON (code and errors, so the SDK raises BadRequestException), 404 for an unknown path", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const missing = await call(postEvent, "/audit_logs/events", { secret, body: { organization_id: org.id, event: { action: "a.b", occurred_at: new Date().toISOString(), actor: { type: "user", id: "u" } } } });
    expect(missing.status).toBe(422);
    expect(missing.json).toMatchObject({ code: "invalid_request_parameters" });
    expect((missing.json!.errors as { field: string; code: string }[]).map((e) => [e.field, e.code])).toEqual([
      ["event.targets", "invalid_event_targets"],
      ["event.context", "invalid_event_context"],
    ]);
    const badJson = await call(postEvent, "/audit_logs/events", { secret, body: "{nope" });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ code: "invalid_json", errors: [] });
    const unknown = await call(unknownRoute, "/audit_logs/nothing", { secret, params: { path: ["nothing"] } });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: "entity_not_found" });
    expect(await eventsOf(org.id)).toEqual([]);
  });
});

describe("POST /audit_logs/events", () => {
  it("writes the event through Orgtrail's ingest; an idempotency key replays, and reused with another body is a 409", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const body = { organization_id: org.id, event: workosEvent() };
    const first = await call(postEvent, "/audit_logs/events", { secret, body, headers: { "idempotency-key": "workos-node-1" } });
    expect(first).toMatchObject({ status: 201, json: { success: true } });
    expect((await call(postEvent, "/audit_logs/events", { secret, body, headers: { "idempotency-key": "workos-node-1" } })).status).toBe(201);
    const conflict = await call(postEvent, "/audit_logs/events", { secret, body: { ...body, event: workosEvent({ metadata: { k: "other" } }) }, headers: { "idempotency-key": "workos-node-1" } });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ code: "idempotency_conflict" });
    expect((await eventsOf(org.id)).map((e) => e.idempotency_key)).toEqual(["workos-node-1"]);
  });

  it("refuses an event off its schema (422), an unknown organization (404) and an org-bound key reaching another organization (404)", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const { secret } = await vendorKey();
    const action = uniqueAction();
    const schema = await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body: { actor: { metadata: { type: "object", properties: {} } }, targets: [{ type: "document" }], metadata: { type: "object", properties: { pages: { type: "number" } } } } });
    expect(schema.status).toBe(201);
    const off = await call(postEvent, "/audit_logs/events", { secret, body: { organization_id: org.id, event: workosEvent({ action, metadata: { pages: "ten" } }) } });
    expect(off.status).toBe(422);
    expect(off.json).toMatchObject({ code: "invalid_request_parameters", errors: [{ field: "event.metadata.pages" }] });
    const wrongTarget = await call(postEvent, "/audit_logs/events", { secret, body: { organization_id: org.id, event: workosEvent({ action, metadata: { pages: 3 }, targets: [{ type: "team", id: "t1" }] }) } });
    expect(wrongTarget.status).toBe(422);
    expect((await call(postEvent, "/audit_logs/events", { secret, body: { organization_id: "org_01UNKNOWN", event: workosEvent() } })).status).toBe(404);
    const bound = await createKey(other.id, ["events:write"]);
    expect((await call(postEvent, "/audit_logs/events", { secret: bound.secret, body: { organization_id: org.id, event: workosEvent() } })).status).toBe(404);
    expect(await eventsOf(org.id)).toEqual([]);
    expect((await call(postEvent, "/audit_logs/events", { secret, body: { organization_id: org.id, event: workosEvent({ action, metadata: { pages: 3 } }) } })).status).toBe(201);
  });
});

describe("schemas and actions", () => {
  it("round-trips WorkOS's schema: types per metadata key, per target type; the same schema again is not a new version", async () => {
    const { secret } = await vendorKey();
    const action = uniqueAction();
    const body = {
      actor: { metadata: { type: "object", properties: { role: { type: "string" } } } },
      targets: [
        { type: "document", metadata: { type: "object", properties: { pages: { type: "number" } } } },
        { type: "user", metadata: { type: "object", properties: { admin: { type: "boolean" } } } },
        { type: "team" },
      ],
      metadata: { type: "object", properties: { reason: { type: "string" } } },
    };
    const created = await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ object: "audit_log_schema", version: 1, ...body });
    expect((await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body })).json).toMatchObject({ version: 1 });
    const changed = await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body: { ...body, metadata: { type: "object", properties: { reason: { type: "string" }, count: { type: "number" } } } } });
    expect(changed).toMatchObject({ status: 201, json: { version: 2 } });

    const list = await call(listSchemas, `/audit_logs/actions/${action}/schemas`, { secret, params: { action } });
    expect(list.json).toMatchObject({ object: "list", list_metadata: { before: null, after: null } });
    expect((list.json!.data as { version: number }[]).map((s) => s.version)).toEqual([2, 1]);
    const paged = await call(listSchemas, `/audit_logs/actions/${action}/schemas?limit=1&order=asc`, { secret, params: { action } });
    expect(paged.json).toMatchObject({ data: [{ version: 1 }], list_metadata: { after: "1", before: null } });
    const next = await call(listSchemas, `/audit_logs/actions/${action}/schemas?limit=1&order=asc&after=1`, { secret, params: { action } });
    expect(next.json).toMatchObject({ data: [{ version: 2 }], list_metadata: { after: null, before: "2" } });

    const actions = await call(listActions, "/audit_logs/actions?limit=100", { secret });
    const listed = (actions.json!.data as { name: string; schema: { version: number } }[]).find((a) => a.name === action);
    expect(listed).toMatchObject({ object: "audit_log_action", schema: { version: 2 } });
    expect((actions.json!.data as { name: string }[]).some((a) => a.name.startsWith("orgtrail."))).toBe(false);
  });

  it("refuses bad schemas (422 naming the field), unknown actions (404), bad cursors (422) and keys without schemas:write (404)", async () => {
    const { secret } = await vendorKey();
    const action = uniqueAction();
    const bad = await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body: { targets: [{ type: "document", metadata: { type: "object", properties: { pages: { type: "date" } } } }] } });
    expect(bad.status).toBe(422);
    expect((bad.json!.errors as { field: string }[])[0]!.field).toBe("targets[0].metadata.properties.pages.type");
    expect((await call(postSchema, "/audit_logs/actions/Not An Action/schemas", { secret, params: { action: "Not An Action" }, body: { targets: [{ type: "x" }] } })).status).toBe(422);
    expect((await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body: { targets: [] } })).status).toBe(422);
    expect((await call(listSchemas, `/audit_logs/actions/${action}/schemas`, { secret, params: { action } })).status).toBe(404);
    expect((await call(listActions, "/audit_logs/actions?limit=0", { secret })).status).toBe(422);
    expect((await call(listActions, "/audit_logs/actions?after=no.such.action", { secret })).status).toBe(400);
    const eventsOnly = await vendorKey(["events:write"]);
    expect((await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret: eventsOnly.secret, params: { action }, body: { targets: [{ type: "x" }] } })).status).toBe(404);
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from event_schemas where action = ${action}`;
    expect(Number(n)).toBe(0);
  });
});

describe("exports", () => {
  async function orgWithEvents() {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const base = Date.now() - 60 * 60_000;
    const sent = [
      workosEvent({ action: "doc.viewed", occurred_at: new Date(base).toISOString(), actor: { type: "user", id: "u_1", name: "Ada Lovelace" } }),
      workosEvent({ action: "doc.shared", occurred_at: new Date(base + 1000).toISOString(), actor: { type: "user", id: "u_2", name: "Grace Hopper" } }),
      workosEvent({ action: "doc.viewed", occurred_at: new Date(base + 2000).toISOString(), actor: { type: "user", id: "u_2", name: "Grace Hopper" } }),
    ];
    for (const e of sent) expect((await call(postEvent, "/audit_logs/events", { secret, body: { organization_id: org.id, event: e } })).status).toBe(201);
    return { org, secret, base };
  }

  async function exportRows(secret: string, body: Record<string, unknown>) {
    const created = await call(postExport, "/audit_logs/exports", { secret, body });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ object: "audit_log_export", state: "pending", url: null });
    const id = created.json!.id as string;
    const [organizationHex, exportHex] = [id.slice(17, 49), id.slice(49)];
    const dashed = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    await runExportJob({ organizationId: dashed(organizationHex), exportId: dashed(exportHex) }, { id: 0, attempts: 1, heartbeat: async () => {} });
    const ready = await call(getExport, `/audit_logs/exports/${id}`, { secret, params: { id } });
    expect(ready.json).toMatchObject({ object: "audit_log_export", id, state: "ready" });
    const url = new URL(ready.json!.url as string);
    const file = await call(downloadExport, url.pathname + url.search, { params: { id } });
    expect(file.status).toBe(200);
    return { id, url, rows: Papa.parse<Record<string, string>>(file.text.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data };
  }

  it("an export holds exactly the events asked for, downloadable without credentials from its URL", async () => {
    const { org, secret, base } = await orgWithEvents();
    const range = { organization_id: org.id, range_start: new Date(base - 1000).toISOString(), range_end: new Date(base + 2000).toISOString() };
    const all = await exportRows(secret, range);
    expect(all.rows.map((r) => [r.action, r.actor_name])).toEqual([
      ["doc.viewed", "Grace Hopper"],
      ["doc.shared", "Grace Hopper"],
      ["doc.viewed", "Ada Lovelace"],
    ]);
    const filtered = await exportRows(secret, { ...range, actions: ["doc.viewed"], actor_names: ["Grace Hopper"] });
    expect(filtered.rows.map((r) => [r.action, r.actor_id])).toEqual([["doc.viewed", "u_2"]]);
    const byId = await exportRows(secret, { ...range, range_end: new Date(base + 1000).toISOString(), actor_ids: ["u_1", "u_2"] });
    expect(byId.rows.map((r) => r.action)).toEqual(["doc.shared", "doc.viewed"]);
  });

  it("the URL works for no one once tampered with, and not for another organization's key; unknown ids are 404s", async () => {
    const { org, secret, base } = await orgWithEvents();
    const { id, url } = await exportRows(secret, { organization_id: org.id, range_start: new Date(base - 1000).toISOString(), range_end: new Date().toISOString() });
    const tampered = new URL(url);
    tampered.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 60));
    expect((await call(downloadExport, tampered.pathname + tampered.search, { params: { id } })).status).toBe(403);
    expect((await call(downloadExport, url.pathname, { params: { id } })).status).toBe(403);
    const stranger = await createKey((await createOrg()).id, ["exports:write"]);
    expect((await call(getExport, `/audit_logs/exports/${id}`, { secret: stranger.secret, params: { id } })).status).toBe(404);
    for (const unknown of ["audit_log_export_01GBZK5MP7TD1YCFQHFR22180V", `audit_log_export_${org.id.replaceAll("-", "")}${randomUUID().replaceAll("-", "")}`, "x"]) {
      const answer = await call(getExport, `/audit_logs/exports/${unknown}`, { secret, params: { id: unknown } });
      expect(answer).toMatchObject({ status: 404, json: { code: "entity_not_found" } });
    }
  });

  it("refuses a bad range (422) and a key that may not export (403)", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const bad = await call(postExport, "/audit_logs/exports", { secret, body: { organization_id: org.id, range_start: "yesterday", range_end: new Date().toISOString() } });
    expect(bad.status).toBe(422);
    expect((bad.json!.errors as { field: string }[]).map((e) => e.field)).toEqual(["range_start"]);
    const backwards = await call(postExport, "/audit_logs/exports", { secret, body: { organization_id: org.id, range_start: new Date().toISOString(), range_end: new Date(Date.now() - 1000).toISOString() } });
    expect(backwards.status).toBe(422);
    const reader = await vendorKey(["events:read"]);
    expect((await call(postExport, "/audit_logs/exports", { secret: reader.secret, body: { organization_id: org.id, range_start: new Date(0).toISOString(), range_end: new Date().toISOString() } })).status).toBe(403);
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from exports where organization_id = ${org.id}`;
    expect(Number(n)).toBe(0);
  });
});

describe("retention and portal links", () => {
  it("sets and reads retention in WorkOS's periods, records the change, and refuses unknown periods and keys without retention:write", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const path = `/organizations/${org.id}/audit_logs_retention`;
    const set = await call(putRetention, path, { secret, method: "PUT", params: { id: org.id }, body: { retention_period: "2_YEARS" } });
    expect(set).toMatchObject({ status: 200, json: { retention_period_in_days: 730 } });
    expect((await call(getRetention, path, { secret, params: { id: org.id } })).json).toEqual({ retention_period_in_days: 730 });
    const [changed] = await sql()<{ metadata: Record<string, unknown> }[]>`select metadata from audit_events where organization_id = ${org.id} and action = 'orgtrail.retention.changed'`;
    expect(changed!.metadata).toMatchObject({ days_to: 730 });
    const bad = await call(putRetention, path, { secret, method: "PUT", params: { id: org.id }, body: { retention_period: "12_MONTHS" } });
    expect(bad).toMatchObject({ status: 422, json: { errors: [{ field: "retention_period" }] } });
    const noScope = await vendorKey(["events:write"]);
    expect((await call(getRetention, path, { secret: noScope.secret, params: { id: org.id } })).status).toBe(404);
    expect((await call(getRetention, `/organizations/org_missing/audit_logs_retention`, { secret, params: { id: "org_missing" } })).status).toBe(404);
  });

  it("generate_link makes a one-time Orgtrail portal link: audit_logs as an auditor, a person per external user id", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const made = await call(generateLink, "/portal/generate_link", { secret, body: { organization: org.id, intent: "audit_logs", external_user_id: "admin_7" } });
    expect(made.status).toBe(201);
    expect(made.json!.link).toMatch(/\/portal\/[A-Za-z0-9_-]{20,}$/);
    const [link] = await sql()<{ role: string; intent: string; user_external_id: string; user_email: string }[]>`select role, intent, user_external_id, user_email from portal_links where organization_id = ${org.id}`;
    expect(link).toMatchObject({ role: "auditor", intent: "audit_logs", user_external_id: "admin_7" });
    expect(link!.user_email).toMatch(/^admin-portal-[0-9a-f]{24}@portal\.invalid$/);
    const streams = await call(generateLink, "/portal/generate_link", { secret, body: { organization: org.id, intent: "log_streams" } });
    expect(streams.status).toBe(201);
    expect((await call(generateLink, "/portal/generate_link", { secret, body: { organization: org.id, intent: "sso" } })).status).toBe(422);
    expect((await call(generateLink, "/portal/generate_link", { secret, body: { organization: "org_nothing", intent: "audit_logs" } })).status).toBe(404);
    const noPortal = await vendorKey(["events:write"]);
    expect((await call(generateLink, "/portal/generate_link", { secret: noPortal.secret, body: { organization: org.id, intent: "audit_logs" } })).status).toBe(403);
    const member = await createUser(org.id, "owner");
    expect(member.kind).toBe("user");
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from portal_links where organization_id = ${org.id}`;
    expect(Number(n)).toBe(2);
  });

  it("revoke_link ends the person's portal sessions and spends their unopened links; only links made for them count", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const make = async () => (await call(generateLink, "/portal/generate_link", { secret, body: { organization: org.id, intent: "audit_logs", external_user_id: "admin_9" } })).json!.link as string;
    const opened = await followPortalLink(tokenOf(await make()), { ip: null, userAgent: null });
    const unopened = tokenOf(await make());
    expect(await findLiveSession(opened.sessionId)).not.toBeNull();
    const revoked = await call(revokeLink, "/portal/revoke_link", { secret, body: { organization: org.id, external_user_id: "admin_9" } });
    expect(revoked).toMatchObject({ status: 200, json: { success: true } });
    expect(await findLiveSession(opened.sessionId)).toBeNull();
    await expect(followPortalLink(unopened, { ip: null, userAgent: null })).rejects.toMatchObject({ code: "gone" });
    const [event] = await sql()<{ metadata: Record<string, unknown> }[]>`
      select metadata from audit_events where action = 'orgtrail.portal_link.revoked' and metadata ->> 'organization' = ${org.slug}`;
    expect(event!.metadata).toMatchObject({ external_user_id: "admin_9", links: 1, sessions: 1 });
    expect((await call(revokeLink, "/portal/revoke_link", { secret, body: { organization: org.id, external_user_id: "nobody" } })).status).toBe(404);
    expect((await call(revokeLink, "/portal/revoke_link", { secret, body: { organization: org.id } })).status).toBe(422);
    const noPortal = await vendorKey(["events:write"]);
    expect((await call(revokeLink, "/portal/revoke_link", { secret: noPortal.secret, body: { organization: org.id, external_user_id: "admin_9" } })).status).toBe(403);
  });

  it("a period outside the vendor's retention bounds is a 422 on retention_period", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    await sql()`insert into settings (key, value) values ('retention.bounds', ${sql().json({ min: 60, max: 3650 })}) on conflict (key) do update set value = excluded.value`;
    try {
      const answer = await call(putRetention, `/organizations/${org.id}/audit_logs_retention`, { secret, method: "PUT", params: { id: org.id }, body: { retention_period: "1_MONTH" } });
      expect(answer).toMatchObject({ status: 422, json: { errors: [{ field: "retention_period", message: "must be at least 60 days" }] } });
    } finally {
      await sql()`delete from settings where key = 'retention.bounds'`;
    }
  });
});

describe("edges", () => {
  it("a resent schema keeps the display settings staff set in the console, and only its columns the schema still declares", async () => {
    const { secret } = await vendorKey();
    const action = uniqueAction();
    const body = { targets: [{ type: "document" }], metadata: { type: "object", properties: { reason: { type: "string" }, pages: { type: "number" } } } };
    expect((await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body })).status).toBe(201);
    await sql()`update event_schemas set display = ${sql().json({ label: "Document updated", severity: "high", columns: ["reason", "pages"] })} where action = ${action}`;
    expect((await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body })).json).toMatchObject({ version: 1 });
    const narrowed = { ...body, metadata: { type: "object", properties: { reason: { type: "string" } } } };
    expect((await call(postSchema, `/audit_logs/actions/${action}/schemas`, { secret, params: { action }, body: narrowed })).json).toMatchObject({ version: 2 });
    const [latest] = await sql()<{ display: Record<string, unknown> }[]>`select display from event_schemas where action = ${action} and version = 2`;
    expect(latest!.display).toEqual({ label: "Document updated", severity: "high", columns: ["reason"] });
  });

  it("an expired export says expired; too many filter values, or quotes in them, never break the query", async () => {
    const org = await createOrg();
    const { secret } = await vendorKey();
    const range = { organization_id: org.id, range_start: new Date(Date.now() - 60_000).toISOString(), range_end: new Date().toISOString() };
    const tooMany = await call(postExport, "/audit_logs/exports", { secret, body: { ...range, actions: Array.from({ length: 30 }, (_, i) => `a.b${i}`), actor_ids: Array.from({ length: 21 }, (_, i) => `u${i}`) } });
    expect(tooMany).toMatchObject({ status: 422, json: { errors: [{ field: "actions" }] } });
    const long = await call(postExport, "/audit_logs/exports", { secret, body: { ...range, actor_names: Array.from({ length: 20 }, (_, i) => `${"n".repeat(200)}${i}`) } });
    expect(long).toMatchObject({ status: 422, json: { errors: [{ field: "actions" }] } });
    const badAction = await call(postExport, "/audit_logs/exports", { secret, body: { ...range, actions: ["Not An Action"] } });
    expect(badAction).toMatchObject({ status: 422, json: { errors: [{ field: "actions[0]" }] } });
    const notATime = await call(postExport, "/audit_logs/exports", { secret, body: { ...range, range_end: "2026-13-45T00:00:00Z" } });
    expect(notATime).toMatchObject({ status: 422, json: { errors: [{ field: "range_end" }] } });
    const quoted = await call(postExport, "/audit_logs/exports", { secret, body: { ...range, actor_names: ['Ada "the" \\Lovelace'] } });
    expect(quoted.status).toBe(201);
    const id = quoted.json!.id as string;
    await sql()`update exports set state = 'expired' where organization_id = ${org.id}`;
    expect((await call(getExport, `/audit_logs/exports/${id}`, { secret, params: { id } })).json).toMatchObject({ state: "expired", url: null });
  });
});
