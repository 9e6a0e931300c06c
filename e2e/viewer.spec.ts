import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import Papa from "papaparse";
import { DEMO_VENDOR_KEY, signIn } from "./helpers";

const SHOTS = process.env.E2E_SCREENSHOT_DIR ?? "test-results/screenshots";

function search(page: Page) {
  return page.getByRole("combobox", { name: "Search events" });
}

/** A screenshot of the page as a person sees it, without the dev server's overlay badge. */
async function shot(page: Page, path: string, fullPage = false) {
  await page.evaluate(() => document.querySelector("nextjs-portal")?.remove());
  await page.screenshot({ path, fullPage });
}

async function rows(page: Page) {
  const list = page.getByTestId("event-row");
  await expect(list.first()).toBeVisible();
  return list;
}

/** Sends one event into acme with the demo vendor key; returns its id. */
async function sendEvent(request: APIRequestContext, event: Record<string, unknown>): Promise<string> {
  const response = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: { organization_id: "acme", event: { occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_e2e" }, targets: [], ...event } },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { data: { id: string }[] }).data[0]!.id;
}

test.describe("the audit log viewer", () => {
  // Each test walks through many pages and API calls; on a busy dev server that takes longer than the default minute.
  test.describe.configure({ timeout: 180_000 });
  test.use({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });

  test("search, range, action chip, detail panel, permalink, reload and Back", async ({ page }) => {
    await signIn(page, "auditor@acme.test");
    await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs/);
    await rows(page);
    await expect(page.getByTestId("event-total")).toContainText(/\d+ events · last 30 days/);
    await expect(page.getByTestId("histogram").locator("svg rect").first()).toBeAttached();
    // Severity reads as a word, not only a colour.
    await expect(page.getByTestId("event-row").getByTestId("severity").first()).toHaveText(/^(Info|Low|Medium|High|Critical)$/);
    await shot(page, `${SHOTS}/viewer-light.png`);
    await shot(page, "public/screenshots/viewer.png");

    // Type a query, with a suggestion for the key.
    await search(page).click();
    await search(page).pressSequentially("acti");
    await expect(page.getByTestId("query-suggestions")).toContainText("action:");
    await search(page).press("Tab");
    await search(page).pressSequentially("document.");
    await expect(page.getByTestId("query-suggestions")).toContainText("document.shared");
    await search(page).pressSequentially("*");
    await search(page).press("Enter");
    await expect(page).toHaveURL(/q=action%3Adocument\.\*/);
    await expect(page.getByTestId("filter-chip")).toHaveCount(1);
    await expect(page.getByTestId("filter-chip")).toContainText("document.*");
    for (const text of await (await rows(page)).locator("td:nth-child(2)").allInnerTexts()) expect(text).toMatch(/^document\./);

    // Pick a range.
    await page.getByTestId("range-picker").click();
    await page.getByRole("option", { name: /Last 7 days/ }).click();
    await expect(page).toHaveURL(/range=7d/);
    await expect(page.getByTestId("event-total")).toContainText("last 7 days");

    // Add an action with the Actions menu: it becomes a chip and a term of the same query.
    await page.getByTestId("actions-menu").click();
    await page.getByTestId("actions-list").getByRole("checkbox", { name: /^user\.signed_in/ }).click();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/action%3Auser\.signed_in/);
    await expect(page.getByTestId("filter-chip")).toHaveCount(2);
    await expect(search(page)).toHaveValue("action:document.* action:user.signed_in");
    const filtered = page.url();

    // Open an event in the side panel.
    const first = (await rows(page)).first();
    const action = (await first.locator("td:nth-child(2)").innerText()).split("\n")[0]!;
    await first.click();
    const panel = page.getByTestId("event-panel");
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId("event-detail")).toContainText(action);
    await expect(panel.getByTestId("event-json")).toContainText('"seq"');
    await expect(panel).toContainText("Hash");
    await expect(page).toHaveURL(/event=[0-9a-f-]{36}/);
    const eventId = /event=([0-9a-f-]{36})/.exec(page.url())![1]!;
    await shot(page, `${SHOTS}/viewer-detail-panel.png`);

    // Back closes the panel and keeps the filter.
    await page.goBack();
    await expect(panel).toBeHidden();
    expect(page.url()).toBe(filtered);

    // Reload keeps the view.
    await page.reload();
    await expect(search(page)).toHaveValue("action:document.* action:user.signed_in");
    await expect(page.getByTestId("filter-chip")).toHaveCount(2);
    await expect(page.getByTestId("range-picker")).toContainText("Last 7 days");
    await rows(page);

    // Back again: the view before the action was added.
    await page.goBack();
    await expect(page).toHaveURL(/q=action%3Adocument\.\*&range=7d$/);
    await expect(page.getByTestId("filter-chip")).toHaveCount(1);
    await page.goForward();
    await expect(page.getByTestId("filter-chip")).toHaveCount(2);

    // Follow the permalink.
    await page.goto(`${filtered}&event=${eventId}`);
    await expect(panel).toBeVisible();
    await panel.getByTestId("permalink").click();
    await expect(page).toHaveURL(new RegExp(`/orgs/acme/audit-logs/${eventId}$`));
    await expect(page.getByTestId("event-detail")).toContainText(eventId);
    await expect(page.getByTestId("event-detail")).toContainText(action);
  });

  test("Enter runs what was typed; a suggestion applies only when chosen with the arrows", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await rows(page);
    await search(page).click();
    await search(page).pressSequentially("action:document.");
    await expect(page.getByTestId("query-suggestions")).toContainText("document.shared");
    await search(page).press("Enter");
    // Not silently widened to a suggestion: the typed term goes to the server, which flags it.
    await expect(page).toHaveURL(/q=action%3Adocument\.(&|$)/);
    await expect(page.getByTestId("query-error-term")).toHaveText("action:document.");

    await search(page).fill("");
    await search(page).pressSequentially("action:document.sha");
    await expect(page.getByTestId("query-suggestions").getByRole("option").first()).toHaveText(/^document\.shared/);
    await search(page).press("ArrowDown");
    await search(page).press("Enter");
    await expect(search(page)).toHaveValue("action:document.shared ");
    await search(page).press("Enter");
    await expect(page).toHaveURL(/q=action%3Adocument\.shared(&|$)/);
  });

  test("a bad query shows the server's error at the term", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await rows(page);
    await search(page).fill("action:user.* colour:blue");
    await search(page).press("Enter");
    await expect(page.getByTestId("query-error-term")).toHaveText("colour:blue");
    await expect(page.getByTestId("query-error")).toContainText("colour");
    await expect(page.getByTestId("query-error")).toContainText("known keys");
    await shot(page, `${SHOTS}/viewer-query-error.png`);
    // The error survives a reload: it comes from the server for the URL.
    await page.reload();
    await expect(page.getByTestId("query-error-term")).toHaveText("colour:blue");
  });

  test("keyboard: j/k move through rows, Enter opens, sort by time both ways, zoom from the histogram", async ({ page }) => {
    await signIn(page, "admin@acme.test");
    const list = await rows(page);
    await page.getByTestId("events-scroller").focus();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(list.nth(2)).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("k");
    await expect(list.nth(1)).toHaveAttribute("aria-selected", "true");
    const second = await list.nth(1).locator("td:nth-child(2)").innerText();
    await expect(list.nth(1)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("event-panel")).toContainText(second.split("\n")[0]!);
    // Stepping in the panel moves the active row; closing puts focus back on the row of the event shown.
    await page.keyboard.press("j");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("event-panel")).toBeHidden();
    await expect(list.nth(2)).toBeFocused();
    await expect(list.nth(2)).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("k");
    await expect(list.nth(1)).toBeFocused();

    const newest = await list.first().locator("time").getAttribute("datetime");
    await page.getByTestId("sort-time").click();
    await expect(page).toHaveURL(/order=asc/);
    await expect.poll(async () => (await page.getByTestId("event-row").first().locator("time").getAttribute("datetime"))! < newest!).toBe(true);

    const chart = page.getByTestId("histogram").getByRole("img");
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(page).toHaveURL(/from=.*&to=/);
    await expect(page.getByTestId("range-picker")).toContainText("→");
  });

  test("a member keeps the notice that the view is limited to their own activity", async ({ page }) => {
    await signIn(page, "member@acme.test");
    await expect(page.getByTestId("own-events-notice")).toBeVisible();
    await page.getByTestId("range-picker").click();
    await page.getByRole("option", { name: /All time/ }).click();
    await rows(page);
  });

  test("dark mode and a phone-width screen", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await rows(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, `${SHOTS}/viewer-dark.png`);
    await (await rows(page)).nth(3).click();
    await expect(page.getByTestId("event-panel")).toBeVisible();
    await shot(page, `${SHOTS}/viewer-detail-dark.png`);
    await page.keyboard.press("Escape");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 390, height: 844 });
    await rows(page);
    await expect(search(page)).toBeVisible();
    // Cards, not a 1,300 px table squeezed into 390 px: nothing scrolls sideways.
    await expect(page.getByTestId("event-cards")).toBeVisible();
    await expect(page.getByTestId("events-table")).toHaveCount(0);
    const scroller = page.getByTestId("events-scroller");
    expect(await scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const card = page.getByTestId("event-row").first();
    await expect(card.locator("time")).toBeVisible();
    expect((await card.boundingBox())!.width).toBeLessThanOrEqual(390);
    await shot(page, `${SHOTS}/viewer-phone.png`);
    await (await rows(page)).first().click();
    await expect(page.getByTestId("event-panel")).toBeVisible();
    await shot(page, `${SHOTS}/viewer-phone-detail.png`);
  });

  test("skip link, not-found event at once, severity filter, click to filter and exclude", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await rows(page);

    // The first Tab reaches "Skip to content", which moves focus to the page's main content.
    await page.goto("/orgs/acme/audit-logs");
    await rows(page);
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("skip-link")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("#main")).toBeFocused();

    // An event id that is not in this log (or not visible): "not found" after one request, not after retries.
    const missing = "00000000-0000-4000-8000-000000000000";
    let asked = 0;
    page.on("request", (request) => {
      if (request.url().includes(`/events/${missing}`)) asked++;
    });
    await page.goto(`/orgs/acme/audit-logs?event=${missing}`);
    await expect(page.getByTestId("event-not-found")).toContainText("Event not found");
    await expect(page.getByTestId("permalink")).toHaveCount(0);
    await page.waitForTimeout(1_500);
    expect(asked).toBe(1);
    await page.keyboard.press("Escape");
    await expect(page).not.toHaveURL(/event=/);

    // Severity: a level adds its actions as action: terms; every row shown then has that severity.
    await page.getByTestId("severity-menu").click();
    await page.getByRole("menuitemcheckbox", { name: /^Medium/ }).click();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/action%3A/);
    await expect(page.getByTestId("severity-menu")).toContainText("1");
    for (const text of await (await rows(page)).getByTestId("severity").allInnerTexts()) expect(text).toBe("Medium");
    await page.getByTestId("severity-menu").click();
    await page.getByRole("menuitemcheckbox", { name: /^Medium/ }).click();
    await page.keyboard.press("Escape");
    await expect(page).not.toHaveURL(/q=/);

    // Click a value in a row: filter to it, then exclude another.
    // Two events of this run's own action from two addresses, a minute ahead so they are the newest whatever other specs sent.
    const clicked = `clickfilter${Date.now().toString(36)}.happened`;
    const ahead = new Date(Date.now() + 60_000).toISOString();
    for (const location of ["198.51.100.1", "198.51.100.2"]) await sendEvent(page.request, { action: clicked, occurred_at: ahead, context: { location } });
    await page.goto(`/orgs/acme/audit-logs?range=all&q=${encodeURIComponent("-action:orgtrail.*")}`);
    const first = (await rows(page)).filter({ hasText: clicked }).first();
    const action = (await first.locator("td:nth-child(2)").innerText()).split("\n")[0]!;
    await first.locator("td:nth-child(2)").getByTestId("filter-value").click();
    await expect(page.getByTestId("event-panel")).toBeHidden();
    await page.getByRole("menuitem", { name: "Filter to this" }).click();
    await expect(search(page)).toHaveValue(`-action:orgtrail.* action:${action}`);
    for (const text of await (await rows(page)).locator("td:nth-child(2)").allInnerTexts()) expect(text.split("\n")[0]).toBe(action);
    // The IP address column (time, action, actor, severity, targets, IP).
    const ip = page.getByTestId("event-row").locator("td:nth-child(6)").getByTestId("filter-value").first();
    const address = await ip.innerText();
    await ip.click();
    await page.getByRole("menuitem", { name: "Exclude this" }).click();
    await expect(search(page)).toHaveValue(`-action:orgtrail.* action:${action} -ip:${address}`);
    await expect(page.getByTestId("filter-chip").filter({ hasText: address })).toContainText("IP is not");

    // The same from the detail panel: its values are menus too, and reachable with Tab.
    await (await rows(page)).first().locator("td:first-child").click();
    const panel = page.getByTestId("event-panel");
    await expect(panel).toBeVisible();
    const actorValue = panel.getByTestId("filter-value").nth(1);
    // The actor by type and id (actor:type:id), which names one actor exactly.
    const actorKey = await actorValue.innerText();
    await actorValue.click();
    await page.getByRole("menuitem", { name: "Exclude this" }).click();
    await expect(panel).toBeHidden();
    await expect(search(page)).toHaveValue(new RegExp(`-actor:"?${actorKey.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?$`));
  });

  test("one event is \"1 event\"; occurred: terms narrow the range everywhere; zero-count actions wait behind Show all", async ({ page }) => {
    const marker = `single${Date.now().toString(36)}`;
    await sendEvent(page.request, { action: "document.viewed", actor: { type: "user", id: "u_e2e", name: `Solo ${marker}` }, targets: [{ type: "document", id: "doc_solo" }] });
    await signIn(page, "auditor@acme.test");
    await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent(`"${marker}"`)}`);
    await expect(page.getByTestId("event-row")).toHaveCount(1);
    await expect(page.getByTestId("event-total")).toContainText(/^1 event · /);
    await expect(page.getByTestId("events-scroller")).toContainText("End of results · 1 event");
    await expect(page.getByTestId("events-scroller")).not.toContainText("1 events");

    // occurred: terms and the picker agree on one window.
    await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent("occurred:>2h")}`);
    await rows(page);
    await expect(page.getByTestId("event-total")).toContainText("narrowed by occurred:");
    await expect(page.getByTestId("range-picker")).toContainText("→ now");
    await expect(page.getByTestId("range-picker")).toContainText("query");
    await page.getByTestId("range-picker").click();
    await expect(page.getByTestId("range-narrowed")).toContainText("narrow last 30 days to");
    await page.keyboard.press("Escape");
    await page.goto(`/orgs/acme/audit-logs?range=24h&q=${encodeURIComponent("occurred:<2000-01-01")}`);
    await expect(page.getByTestId("empty-state")).toContainText("no time in common");

    // The Actions facet leaves out actions with no events in the view until asked.
    await page.goto("/orgs/acme/audit-logs?range=1h");
    await page.waitForLoadState("networkidle");
    await page.getByTestId("actions-menu").click();
    const items = page.getByTestId("actions-list").getByRole("checkbox");
    await expect(items.first()).toBeVisible();
    const before = await items.count();
    await page.getByTestId("actions-show-all").click();
    await expect.poll(() => items.count()).toBeGreaterThan(before);
    await page.keyboard.press("Escape");
  });

  test("the CSV export lists the view's order and only the columns of the actions filtered", async ({ page }) => {
    await signIn(page, "admin@acme.test");
    const exportCsv = async (url: string) => {
      await page.goto(url);
      await rows(page);
      await page.getByTestId("export-menu").click();
      const downloading = page.waitForEvent("download");
      await page.getByRole("menuitem", { name: /CSV/ }).click();
      const bytes = readFileSync(await (await downloading).path());
      const parsed = Papa.parse<Record<string, string>>(bytes.subarray(3).toString("utf8"), { header: true, skipEmptyLines: true });
      return { header: parsed.meta.fields ?? [], rows: parsed.data };
    };
    const times = (rows: Record<string, string>[]) => rows.map((r) => r.occurred_at!);
    const newest = await exportCsv("/orgs/acme/audit-logs?q=action%3Abilling.invoice_paid&range=all");
    expect(newest.rows.length).toBeGreaterThan(1);
    expect(times(newest.rows)).toEqual([...times(newest.rows)].sort().reverse());
    expect(newest.header.slice(13)).toEqual(["amount_cents"]);
    const oldest = await exportCsv("/orgs/acme/audit-logs?q=action%3Abilling.invoice_paid&range=all&order=asc");
    expect(times(oldest.rows)).toEqual([...times(oldest.rows)].sort());
  });

  test("screenshots: the viewer, the detail panel and the 404 page, on a desktop and on a phone", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await rows(page);
    await shot(page, `${SHOTS}/ux-viewer-desktop.png`);
    await (await rows(page)).nth(2).locator("td:first-child").click();
    await expect(page.getByTestId("event-panel").getByTestId("event-detail")).toBeVisible();
    await shot(page, `${SHOTS}/ux-detail-desktop.png`);
    await page.goto("/orgs/acme/audit-logs/00000000-0000-4000-8000-000000000000");
    await expect(page.getByRole("heading", { name: "Event not found" })).toBeVisible();
    await shot(page, `${SHOTS}/ux-event-404-desktop.png`);
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await shot(page, `${SHOTS}/ux-404-desktop.png`);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/orgs/acme/audit-logs");
    await rows(page);
    await shot(page, `${SHOTS}/ux-viewer-phone.png`);
    await (await rows(page)).first().click();
    await expect(page.getByTestId("event-panel").getByTestId("event-detail")).toBeVisible();
    await shot(page, `${SHOTS}/ux-detail-phone.png`);
    await page.goto("/no-such-page");
    await shot(page, `${SHOTS}/ux-404-phone.png`);
  });
});
