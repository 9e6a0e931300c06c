import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_VENDOR_KEY, signIn } from "./helpers";

/*
 * Live mode (issue 15): new events are pushed over one Server-Sent Events
 * stream per viewer, not polled. Each run uses its own action names, so reruns
 * on one database do not see each other's events.
 */

async function sendEvents(request: APIRequestContext, events: Record<string, unknown>[]): Promise<void> {
  const response = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: { organization_id: "acme", events: events.map((event) => ({ occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_live" }, targets: [], ...event })) },
  });
  expect(response.status()).toBe(201);
}

async function openLive(page: Page, q: string): Promise<string[]> {
  const eventRequests: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/\/api\/v1\/orgs\/[^/]+\/events(\/live)?$/.test(path)) eventRequests.push(path);
  });
  await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent(q)}`);
  await expect(page.getByText("No events match")).toBeVisible();
  await page.getByTestId("live-toggle").click();
  await expect(page.getByTestId("live-toggle")).toHaveAttribute("aria-pressed", "true");
  return eventRequests;
}

test.describe("live mode", () => {
  test.describe.configure({ timeout: 120_000 });

  test("events that match appear at the top within a second or two, for every viewer, over one stream and no polls", async ({ browser, request }) => {
    const run = `live${Date.now().toString(36)}`;
    const auditor = await browser.newContext();
    const owner = await browser.newContext();
    const auditorPage = await auditor.newPage();
    const ownerPage = await owner.newPage();
    await signIn(auditorPage, "auditor@acme.test");
    await signIn(ownerPage, "owner@acme.test");
    const auditorRequests = await openLive(auditorPage, `action:${run}.*`);
    await openLive(ownerPage, `action:${run}.*`);
    // Let both streams open before sending.
    await auditorPage.waitForTimeout(1_000);

    const sentAt = Date.now();
    await sendEvents(request, [{ action: `${run}.first` }, { action: "unrelated.action" }, { action: `${run}.second` }]);
    for (const page of [auditorPage, ownerPage]) {
      const rows = page.getByTestId("event-row");
      await expect(rows).toHaveCount(2, { timeout: 5_000 });
      await expect(rows.nth(0)).toContainText(`${run}.second`);
      await expect(rows.nth(1)).toContainText(`${run}.first`);
    }
    const seenAfterMs = Date.now() - sentAt;
    expect(seenAfterMs).toBeLessThan(5_000);

    // Ten quiet seconds: the page keeps its one stream and asks for nothing.
    const before = auditorRequests.length;
    await auditorPage.waitForTimeout(10_000);
    expect(auditorRequests.slice(before)).toEqual([]);
    expect(auditorRequests.filter((path) => path.endsWith("/live"))).toHaveLength(1);

    await sendEvents(request, [{ action: `${run}.third` }]);
    await expect(auditorPage.getByTestId("event-row").first()).toContainText(`${run}.third`, { timeout: 5_000 });
    await auditor.close();
    await owner.close();
  });

  test("a member's live view shows only the events that name them", async ({ browser, request }) => {
    const run = `live${Date.now().toString(36)}m`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, "member@acme.test");
    await openLive(page, `action:${run}.*`);
    await page.waitForTimeout(1_000);
    await sendEvents(request, [
      { action: `${run}.other`, actor: { type: "user", id: "u_someone_else" } },
      { action: `${run}.mine`, actor: { type: "user", id: "u_acme_member" } },
    ]);
    const rows = page.getByTestId("event-row");
    await expect(rows).toHaveCount(1, { timeout: 5_000 });
    await expect(rows.first()).toContainText(`${run}.mine`);
    await page.waitForTimeout(1_500);
    await expect(rows).toHaveCount(1);
    await context.close();
  });
});
