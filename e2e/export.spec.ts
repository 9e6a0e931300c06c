import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import Papa from "papaparse";
import { DEMO_PASSWORD } from "./helpers";

type ApiEvent = { id: string; action: string; occurred_at: string; received_at: string; actor: { id: string } };

/** Every event of acme the API returns for a filter, paging with its cursor. */
async function allEvents(request: APIRequestContext, q = ""): Promise<ApiEvent[]> {
  const events: ApiEvent[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ limit: "1000", ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
    const response = await request.get(`/api/v1/orgs/acme/events?${params}`);
    expect(response.status()).toBe(200);
    const page = (await response.json()) as { data: ApiEvent[]; next_cursor: string | null };
    events.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

function parseCsvFile(file: string): Record<string, string>[] {
  const bytes = readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const parsed = Papa.parse<Record<string, string>>(bytes.subarray(3).toString("utf8"), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/**
 * Signs in through the login form. The dev server compiles pages on first use, so
 * this waits for the form to hydrate first and allows the first compile of the viewer.
 */
async function signInAs(page: Page, email: string): Promise<void> {
  await page.goto("/login");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orgs\/[^/]+\/audit-logs/, { timeout: 45_000 });
}

test("an admin downloads the current filter as CSV from the viewer's Export menu", async ({ page }) => {
  await signInAs(page, "admin@acme.test");
  const q = "action:user.*";
  await page.goto(`/orgs/acme/audit-logs?${new URLSearchParams({ q, range: "all" })}`);
  const started = new Date();
  await page.getByTestId("export-menu").click();
  await expect(page.getByRole("menuitem", { name: /CSV/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/export-menu.png" });
  const downloading = page.waitForEvent("download");
  await page.getByRole("menuitem", { name: /CSV/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^acme-audit-log-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsvFile(await download.path());

  const api = await allEvents(page.request, q);
  const byId = new Map(api.map((e) => [e.id, e]));
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    const event = byId.get(row.id!);
    expect(event, row.id).toBeDefined();
    expect(row.action).toBe(event!.action);
    expect(row.actor_id?.replace(/^'/, "")).toBe(event!.actor.id);
    expect(row.occurred_at).toBe(event!.occurred_at);
    expect(row.action!.startsWith("user.")).toBe(true);
  }
  // Everything the API shows that the file lacks arrived after the export began.
  const inFile = new Set(rows.map((r) => r.id));
  for (const event of api.filter((e) => !inFile.has(e.id))) expect(new Date(event.received_at).getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);

  const exported = await allEvents(page.request, "action:orgtrail.audit_log.exported");
  expect(exported.length).toBeGreaterThan(0);
});

test("a background export shows in Recent exports and its file downloads", async ({ page }) => {
  await signInAs(page, "auditor@acme.test");
  const created = await page.request.post("/api/v1/orgs/acme/exports", { data: { format: "csv", q: "action:document.*" } });
  expect(created.status()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/orgs/acme/exports/${id}`)).json()) as { state: string }).state, { timeout: 30_000 })
    .toBe("ready");
  const status = (await (await page.request.get(`/api/v1/orgs/acme/exports/${id}`)).json()) as { rows_done: number; rows_total: number; download_url: string };
  expect(status.rows_done).toBe(status.rows_total);

  await page.goto("/orgs/acme/audit-logs");
  await page.getByTestId("export-menu").click();
  const entry = page.getByTestId("recent-export").first();
  await expect(entry).toContainText("ready");
  await expect(entry).toContainText("action:document.*");
  await page.screenshot({ path: "test-results/screenshots/export-recent.png" });
  const downloading = page.waitForEvent("download");
  await entry.getByRole("link", { name: /Download CSV export/ }).click();
  const rows = parseCsvFile(await (await downloading).path());
  expect(rows).toHaveLength(status.rows_done);
  for (const row of rows) expect(row.action!.startsWith("document.")).toBe(true);
});

test("the Export menu looks right in dark mode", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await signInAs(page, "owner@acme.test");
  await page.getByTestId("export-menu").click();
  await expect(page.getByText("Recent exports")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/export-menu-dark.png" });
});

test("a member has no Export menu and gets 403 from the export API; another org's owner gets 404", async ({ page }) => {
  await signInAs(page, "member@acme.test");
  await expect(page.getByTestId("own-events-notice")).toBeVisible();
  await expect(page.getByTestId("export-menu")).toHaveCount(0);
  expect((await page.request.get("/api/v1/orgs/acme/events/export.csv")).status()).toBe(403);
  expect((await page.request.post("/api/v1/orgs/acme/exports", { data: { format: "csv" } })).status()).toBe(403);
  await page.context().clearCookies();

  await signInAs(page, "owner@globex.test");
  expect((await page.request.get("/api/v1/orgs/acme/events/export.csv")).status()).toBe(404);
  expect((await page.request.get("/api/v1/orgs/acme/exports")).status()).toBe(404);
});
