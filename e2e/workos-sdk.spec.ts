import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { expect, test, type Page } from "@playwright/test";
import {
  BadRequestException,
  ConflictException,
  GenerateLinkIntent,
  NotFoundException,
  UnauthorizedException,
  UnprocessableEntityException,
  WorkOS,
  type CreateAuditLogEventOptions,
  type UpdateAuditLogsRetentionRetentionPeriod,
} from "@workos-inc/node";
import { createOrganizationInConsole, signIn } from "./helpers";

/*
 * Issue 18: a vendor moves from WorkOS Audit Logs by pointing the real WorkOS
 * SDK (@workos-inc/node, unmodified) at Orgtrail and using an Orgtrail key.
 * Each run makes its own organization (with a WorkOS id as its alias), key and
 * action, so reruns on the same database see only their own data.
 */

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://localhost:${PORT}`;
const sdk = (key: string) => new WorkOS(key, { apiHostname: "127.0.0.1", port: PORT, https: false });

/** The DESIGN "CSV" columns, then the one metadata key this run's action marks as a column. */
const CSV_COLUMNS = ["id", "occurred_at", "received_at", "action", "actor_type", "actor_id", "actor_name", "target_types", "target_ids", "target_names", "ip", "user_agent", "metadata", "reason"];
const KEY_SCOPES = ["events:write", "events:read", "exports:write", "schemas:write", "portal:write", "retention:write"];

type ApiEvent = { id: string; action: string; actor: { id: string; name: string; metadata?: Record<string, unknown> }; targets: { type: string; id: string }[]; metadata: Record<string, unknown>; context?: { location?: string } };

/** The SDK's exception, for asserting on its class and fields. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the SDK call to fail");
}

async function createOrganization(page: Page, name: string, slug: string, alias: string): Promise<void> {
  const row = await createOrganizationInConsole(page, name, slug);
  await row.getByRole("button", { name: `WorkOS organization ID of ${name}` }).click();
  await page.getByRole("dialog").getByRole("textbox", { name: /^WorkOS organization ID/ }).fill(alias);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(row.getByTestId("organization-alias")).toHaveText(alias);
}

async function createKey(page: Page, name: string): Promise<string> {
  await page.goto("/admin/api-keys", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill(name);
  for (const scope of KEY_SCOPES) await page.getByLabel(new RegExp(`^${scope}`)).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

test.describe.serial("the WorkOS SDK against Orgtrail", () => {
  const run = Date.now().toString(36);
  const slug = `wos-${run}`;
  const name = `Wayne ${run}`;
  const alias = `org_01WOS${run.toUpperCase()}`;
  const action = `wos${run}.document.updated`;
  const started = new Date(Date.now() - 60 * 60_000);
  let secret = "";
  let workos: WorkOS;

  const event = (reason: string, metadata: Record<string, string | number | boolean> = {}): CreateAuditLogEventOptions => ({
    action,
    occurredAt: new Date(Date.now() - 60_000),
    actor: { type: "user", id: "u_wos_ada", name: "Ada Workos", metadata: { role: "admin" } },
    targets: [
      { type: "document", id: "doc_wos_7", name: "Q3 plan", metadata: { pages: 12 } },
      { type: "user", id: "u_wos_bob", name: "Bob" },
    ],
    context: { location: "203.0.113.7", userAgent: "Mozilla/5.0 (WorkOS e2e)" },
    metadata: { reason, attempts: 2, forced: false, ...metadata },
  });

  /** This run's events, oldest first, read back through Orgtrail's own API with the same key. */
  async function sentEvents(page: Page): Promise<ApiEvent[]> {
    const response = await page.request.get(`/api/v1/orgs/${alias}/events?limit=100&order=asc&q=${encodeURIComponent(`action:${action}`)}`, { headers: { authorization: `Bearer ${secret}` } });
    expect(response.status(), await response.text()).toBe(200);
    return ((await response.json()) as { data: ApiEvent[] }).data;
  }

  test("a vendor admin creates an organization with its WorkOS id and a key for the SDK in the console", async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, "admin@vendor.test");
    await createOrganization(page, name, slug, alias);
    secret = await createKey(page, `WorkOS SDK ${run}`);
    expect(secret).toMatch(/^ot_/);
    workos = sdk(secret);
    // The alias names the organization in Orgtrail's own API too.
    const org = await page.request.get(`/api/v1/orgs/${alias}`);
    expect(org.status(), await org.text()).toBe(200);
    expect(((await org.json()) as { data: { slug: string; alias: string } }).data).toMatchObject({ slug, alias });
  });

  test("createSchema makes version 1, the same schema again changes nothing, a changed one makes version 2, the console's display settings survive a resend; listSchemas returns them", async ({ request }) => {
    const schema = {
      action,
      actor: { metadata: { role: "string" as const } },
      targets: [{ type: "document", metadata: { pages: "number" as const } }, { type: "user" }],
      metadata: { reason: "string" as const, attempts: "number" as const, forced: "boolean" as const },
    };
    const first = await workos.auditLogs.createSchema(schema);
    expect(first).toEqual({
      object: "audit_log_schema",
      version: 1,
      actor: { metadata: { role: "string" } },
      targets: [{ type: "document", metadata: { pages: "number" } }, { type: "user", metadata: undefined }],
      metadata: { reason: "string", attempts: "number", forced: "boolean" },
      createdAt: expect.any(Date),
    });
    expect(Math.abs(first.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

    const again = await workos.auditLogs.createSchema(schema);
    expect(again.version).toBe(1);
    expect(again.createdAt.toISOString()).toBe(first.createdAt.toISOString());
    const one = await workos.auditLogs.listSchemas(action);
    expect(one.data.map((s) => s.version)).toEqual([1]);
    expect(one.data[0]).toEqual(first);

    const second = await workos.auditLogs.createSchema({ ...schema, metadata: { ...schema.metadata, note: "string" } });
    expect(second.version).toBe(2);
    expect(second.metadata).toEqual({ reason: "string", attempts: "number", forced: "boolean", note: "string" });
    const both = await workos.auditLogs.listSchemas(action);
    expect(both.data.map((s) => s.version)).toEqual([2, 1]);
    expect(both.data[0]).toEqual(second);
    expect(both.data[1]).toEqual(first);
    const ascending = await workos.auditLogs.listSchemas(action, { order: "asc", limit: 1 });
    expect(ascending.data.map((s) => s.version)).toEqual([1]);
    expect(ascending.listMetadata).toEqual({ before: null, after: "1" });

    // Vendor staff give the action a label and a CSV column (version 3, through Orgtrail's schema API);
    // the deploy script sending its WorkOS schema again keeps them and makes no version.
    const key = { authorization: `Bearer ${secret}` };
    const latest = ((await (await request.get(`/api/v1/schemas/${action}/versions/2`, { headers: key })).json()) as { data: Record<string, unknown> }).data;
    const display = { label: "Document updated", severity: "medium", columns: ["reason"] };
    const labelled = await request.post(`/api/v1/schemas/${action}/versions`, {
      headers: key,
      data: { target_types: latest.target_types, actor_schema: latest.actor_schema, target_schema: latest.target_schema, metadata_schema: latest.metadata_schema, display },
    });
    expect(labelled.status(), await labelled.text()).toBe(201);
    const resent = await workos.auditLogs.createSchema({ ...schema, metadata: { ...schema.metadata, note: "string" } });
    expect(resent.version).toBe(3);
    expect((await workos.auditLogs.listSchemas(action)).data.map((s) => s.version)).toEqual([3, 2, 1]);
    const kept = ((await (await request.get(`/api/v1/schemas/${action}/versions/3`, { headers: key })).json()) as { data: { display: unknown } }).data;
    expect(kept.display).toEqual(display);

    // The action is listed with its latest schema (the SDK has no call for GET /audit_logs/actions).
    const actions = await fetch(`${BASE_URL}/audit_logs/actions?limit=100`, { headers: { authorization: `Bearer ${secret}` } });
    expect(actions.status).toBe(200);
    const listed = ((await actions.json()) as { data: { name: string; schema: { version: number } }[] }).data.find((a) => a.name === action);
    expect(listed?.schema.version).toBe(3);
  });

  test("createEvent sends events to the alias; an idempotency key written twice makes one event, reused with another body a ConflictException", async ({ page }) => {
    await workos.auditLogs.createEvent(alias, event("first"));
    const key = `e2e-${randomUUID()}`;
    const second = event("second");
    await workos.auditLogs.createEvent(alias, second, { idempotencyKey: key });
    await workos.auditLogs.createEvent(alias, second, { idempotencyKey: key });
    const conflict = await rejection(workos.auditLogs.createEvent(alias, event("third"), { idempotencyKey: key }));
    expect(conflict).toBeInstanceOf(ConflictException);
    expect((conflict as ConflictException).status).toBe(409);

    const events = await sentEvents(page);
    expect(events.map((e) => e.metadata.reason)).toEqual(["first", "second"]);
    expect(events[0]).toMatchObject({
      action,
      actor: { id: "u_wos_ada", name: "Ada Workos", metadata: { role: "admin" } },
      targets: [
        { type: "document", id: "doc_wos_7" },
        { type: "user", id: "u_wos_bob" },
      ],
      metadata: { reason: "first", attempts: 2, forced: false },
    });
  });

  test("an event off its schema is an UnprocessableEntityException and an unknown organization a NotFoundException; nothing is written", async ({ page }) => {
    const wrongType = await rejection(workos.auditLogs.createEvent(alias, event("off-schema", { attempts: "two" })));
    expect(wrongType).toBeInstanceOf(UnprocessableEntityException);
    expect(wrongType).toMatchObject({ status: 422, code: "invalid_request_parameters" });
    expect((wrongType as Error).message).toContain("invalid_event_metadata_attempts");

    const wrongTarget = await rejection(workos.auditLogs.createEvent(alias, { ...event("off-schema"), targets: [{ type: "folder", id: "f_1" }] }));
    expect(wrongTarget).toBeInstanceOf(UnprocessableEntityException);
    expect((wrongTarget as Error).message).toContain("invalid_event_targets_0_type");

    const unknown = await rejection(workos.auditLogs.createEvent(`org_01NOPE${run.toUpperCase()}`, event("nowhere")));
    expect(unknown).toBeInstanceOf(NotFoundException);
    expect(unknown).toMatchObject({ status: 404, code: "entity_not_found" });

    expect((await sentEvents(page)).map((e) => e.metadata.reason)).toEqual(["first", "second"]);
  });

  test("createExport, getExport until ready, and the URL downloads a CSV of exactly the events sent, without credentials", async ({ page }) => {
    test.setTimeout(120_000);
    const ids = (await sentEvents(page)).map((e) => e.id);
    expect(ids).toHaveLength(2);
    const created = await workos.auditLogs.createExport({ organizationId: alias, rangeStart: started, rangeEnd: new Date(), actions: [action] });
    expect(created).toMatchObject({ object: "audit_log_export", id: expect.stringMatching(/^audit_log_export_[0-9a-f]{64}$/), state: "pending", url: null });

    let url = "";
    await expect(async () => {
      const polled = await workos.auditLogs.getExport(created.id);
      expect(polled.id).toBe(created.id);
      expect(polled.state).toBe("ready");
      url = polled.url!;
    }).toPass({ timeout: 60_000 });
    expect(url.startsWith(`${BASE_URL}/audit_logs/exports/${created.id}/download?`)).toBe(true);

    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toContain("text/csv");
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = Papa.parse<Record<string, string>>(bytes.subarray(3).toString("utf8"), { header: true, skipEmptyLines: true });
    expect(csv.meta.fields).toEqual(CSV_COLUMNS);
    expect(csv.data.map((row) => row.id).sort()).toEqual([...ids].sort());
    for (const row of csv.data) {
      expect(row).toMatchObject({ action, actor_type: "user", actor_id: "u_wos_ada", actor_name: "Ada Workos", target_types: "document; user", target_ids: "doc_wos_7; u_wos_bob", ip: "203.0.113.7", user_agent: "Mozilla/5.0 (WorkOS e2e)" });
    }
    expect(csv.data.map((row) => (JSON.parse(row.metadata!) as { reason: string }).reason).sort()).toEqual(["first", "second"]);
    expect(csv.data.map((row) => row.reason).sort()).toEqual(["first", "second"]);

    // A signature changed by one character, or a URL without one: 403, and no file.
    const signed = new URL(url);
    const signature = signed.searchParams.get("signature")!;
    signed.searchParams.set("signature", `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`);
    const tampered = await fetch(signed);
    expect(tampered.status).toBe(403);
    expect(((await tampered.json()) as { code: string }).code).toBe("forbidden");
    signed.searchParams.delete("signature");
    expect((await fetch(signed)).status).toBe(403);

    const missing = await rejection(workos.auditLogs.getExport("audit_log_export_01GBZK5MP7TD1YCFQHFR22180V"));
    expect(missing).toBeInstanceOf(NotFoundException);
    // Well formed, this organization's, but no such export.
    const otherExport = `${created.id.slice(0, -32)}${randomUUID().replaceAll("-", "")}`;
    expect(await rejection(workos.auditLogs.getExport(otherExport))).toBeInstanceOf(NotFoundException);
  });

  test("updateOrganizationAuditLogsRetention sets the period and getOrganizationAuditLogsRetention reads it back", async () => {
    expect(await workos.auditLogs.updateOrganizationAuditLogsRetention({ id: alias, retentionPeriod: "1_YEAR" })).toEqual({ retentionPeriodInDays: 365 });
    expect(await workos.auditLogs.getOrganizationAuditLogsRetention({ id: alias })).toEqual({ retentionPeriodInDays: 365 });
    expect(await workos.auditLogs.updateOrganizationAuditLogsRetention({ id: slug, retentionPeriod: "3_MONTHS" })).toEqual({ retentionPeriodInDays: 90 });
    expect(await workos.auditLogs.getOrganizationAuditLogsRetention({ id: alias })).toEqual({ retentionPeriodInDays: 90 });
    const badPeriod = await rejection(workos.auditLogs.updateOrganizationAuditLogsRetention({ id: alias, retentionPeriod: "13_MONTHS" as UpdateAuditLogsRetentionRetentionPeriod }));
    expect(badPeriod).toBeInstanceOf(UnprocessableEntityException);
    expect((badPeriod as Error).message).toContain("invalid_retention_period");
    expect(await rejection(workos.auditLogs.getOrganizationAuditLogsRetention({ id: `org_01NOPE${run.toUpperCase()}` }))).toBeInstanceOf(NotFoundException);
    expect(await workos.auditLogs.getOrganizationAuditLogsRetention({ id: alias })).toEqual({ retentionPeriodInDays: 90 });
  });

  test("a bad key is an UnauthorizedException, no key a 401, a browser session a 401, an unknown path a 404", async ({ page }) => {
    const body = { organization_id: alias, event: { action, occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_x" }, targets: [], context: { location: "203.0.113.9" }, metadata: { reason: "refused" } } };
    const badKey = sdk("ot_this_key_does_not_exist_000000000000");
    const refused = await rejection(badKey.auditLogs.createEvent(alias, event("refused")));
    expect(refused).toBeInstanceOf(UnauthorizedException);
    expect((refused as UnauthorizedException).status).toBe(401);
    expect(await rejection(badKey.auditLogs.listSchemas(action))).toBeInstanceOf(UnauthorizedException);

    const anonymous = await fetch(`${BASE_URL}/audit_logs/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/json");
    expect(((await anonymous.json()) as { code: string; message: string }).code).toBe("unauthorized");

    // A signed-in vendor admin's browser: its session cookie is no credential here.
    await signIn(page, "admin@vendor.test");
    const session = await page.request.post("/audit_logs/events", { data: body });
    expect(session.status()).toBe(401);
    expect(((await session.json()) as { code: string }).code).toBe("unauthorized");
    expect((await page.request.get(`/organizations/${alias}/audit_logs_retention`)).status()).toBe(401);

    const nowhere = await fetch(`${BASE_URL}/audit_logs/no_such_thing`, { headers: { authorization: `Bearer ${secret}` } });
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { code: string }).code).toBe("entity_not_found");

    // A 400 comes with WorkOS's `code` and `errors`, which the SDK needs to raise a BadRequestException.
    const badIdempotencyKey = await rejection(workos.auditLogs.createEvent(alias, event("bad key"), { idempotencyKey: "k".repeat(300) }));
    expect(badIdempotencyKey).toBeInstanceOf(BadRequestException);
    expect((badIdempotencyKey as BadRequestException).status).toBe(400);
    const notJson = await fetch(`${BASE_URL}/audit_logs/exports`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(Object.keys((await notJson.json()) as object).sort()).toEqual(["code", "errors", "message"]);
    expect((await sentEvents(page)).map((e) => e.metadata.reason)).toEqual(["first", "second"]);
  });

  test("a portal link from adminPortal.generateLink opens the organization's viewer with the SDK's events, once", async ({ browser }) => {
    test.setTimeout(120_000);
    const { link } = await workos.adminPortal.generateLink({ organization: alias, intent: GenerateLinkIntent.AuditLogs });
    expect(link.startsWith(`${BASE_URL}/portal/`)).toBe(true);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await expect(page).toHaveURL(new RegExp(`/orgs/${slug}/audit-logs$`));
    // By their actor: the export's own event names the action too, in its query.
    const rows = page.getByTestId("event-row").filter({ hasText: "Ada Workos" });
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) await expect(row).toContainText(action);
    // The link's person reads this organization only.
    expect((await page.goto("/orgs/acme/audit-logs"))?.status()).toBe(404);
    await context.close();

    const again = await (await browser.newContext()).newPage();
    expect((await again.goto(link))?.status()).toBe(410);
    await expect(again.getByTestId("portal-error")).toContainText("already used");
    await again.context().close();

    const unknown = await rejection(workos.adminPortal.generateLink({ organization: `org_01NOPE${run.toUpperCase()}`, intent: GenerateLinkIntent.AuditLogs }));
    expect(unknown).toBeInstanceOf(NotFoundException);
  });
});
