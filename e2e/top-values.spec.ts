import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "./helpers";

/*
 * The viewer's top lists (issue 15): the most frequent actors, IP addresses and
 * targets of the view, each value a filter to it or an exclusion of it, kept in
 * the URL's query like every other filter.
 */

const SHOTS = process.env.E2E_SCREENSHOT_DIR ?? "test-results/screenshots";

const search = (page: Page) => page.getByRole("combobox", { name: "Search events" });
const queryOf = (page: Page) => new URL(page.url()).searchParams.get("q") ?? "";

async function openTopValues(page: Page) {
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  const toggle = page.getByTestId("top-values-toggle");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByTestId("top-actors").getByTestId("top-value").first()).toBeVisible();
  await settled(page);
}

/** A row of a top list: its two buttons, the term's value (type:id, or the address), the label shown and the count. */
async function rowParts(row: Locator) {
  return {
    include: row.getByRole("button").first(),
    exclude: row.getByTestId("top-value-exclude"),
    value: (await row.getAttribute("data-value"))!,
    label: (await row.getAttribute("data-label"))!,
  };
}

/** The lists of the current query are in (not the previous query's, kept on screen while they load). */
const settled = (page: Page) => expect(page.getByTestId("top-values")).toHaveAttribute("aria-busy", "false");

const listValues = (page: Page, list: string) => page.getByTestId(list).getByTestId("top-value").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-value")!));

async function shot(page: Page, path: string) {
  await page.evaluate(() => document.querySelector("nextjs-portal")?.remove());
  await page.screenshot({ path });
}

async function expectAccessible(page: Page, label: string) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).include('[data-testid="top-values"]').include('[data-testid="top-values-toggle"]').analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect.soft(serious.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), label).toEqual([]);
}

test.describe("top values in the viewer", () => {
  test.describe.configure({ timeout: 180_000 });
  test.use({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });

  test("an auditor filters to a top actor, excludes a top IP address, from the mouse and the keyboard", async ({ page }) => {
    await signIn(page, "auditor@acme.test");
    await page.goto("/orgs/acme/audit-logs?range=all");
    await openTopValues(page);
    await expect(page.getByTestId("top-ips").getByTestId("top-value").first()).toBeVisible();
    await expect(page.getByTestId("top-targets").getByTestId("top-value").first()).toBeVisible();
    const unfilteredIps = await listValues(page, "top-ips");
    // Counts are text, most first.
    const counts = await page.getByTestId("top-actors").getByTestId("top-value").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-count"))));
    expect(counts.length).toBeGreaterThan(1);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await shot(page, `${SHOTS}/top-values-desktop.png`);
    await expectAccessible(page, "top values, light");

    // Include: the actor's actor:type:id term goes into the URL, and the table shows only that actor.
    const actors = page.getByTestId("top-actors").getByTestId("top-value");
    const actorCount = await actors.count();
    const first = await rowParts(actors.first());
    await expect(first.include).toContainText(first.value);
    await first.include.click();
    await expect.poll(() => queryOf(page)).toBe(`actor:${first.value}`);
    await expect(actors.first()).toHaveAttribute("data-state", "included");
    await expect(first.include).toHaveAttribute("aria-pressed", "true");
    // The actor list counts as if its own term were not set: the other actors stay listed.
    await expect(actors).toHaveCount(actorCount);
    await expect(page.getByTestId("filter-chip")).toContainText(["Actor is"]);
    await expect(page.getByTestId("event-row").first()).toBeVisible();
    for (const text of await page.getByTestId("event-row").locator("td:nth-child(3)").allInnerTexts()) expect(text.split("\n")[0]).toBe(first.label);
    // Pressed again, the filter goes.
    await first.include.click();
    await expect.poll(() => queryOf(page)).toBe("");
    // aria-busy may still read false before the refetch starts: wait for the unfiltered list itself.
    await expect.poll(() => listValues(page, "top-ips")).toEqual(unfilteredIps);
    await settled(page);

    // Exclude: the negated ip: term; the table no longer shows that address.
    const ip = await rowParts(page.getByTestId("top-ips").getByTestId("top-value").first());
    const address = ip.value;
    await expect(ip.exclude).toHaveAccessibleName(`Exclude IP ${address}`);
    await ip.exclude.click();
    await expect(search(page)).toHaveValue(`-ip:${address}`);
    await expect(page.getByTestId("filter-chip").filter({ hasText: address })).toContainText("IP is not");
    await expect(page.getByTestId("top-ips").getByTestId("top-value").first()).toHaveAttribute("data-state", "excluded");
    await expect(page.getByTestId("event-row").first()).toBeVisible();
    for (const text of await page.getByTestId("event-row").locator("td:nth-child(6)").allInnerTexts()) expect(text).not.toBe(address);

    // Keyboard: the toggle and every row's buttons are in the Tab order.
    await page.goto("/orgs/acme/audit-logs?range=all");
    // The choice to show the lists is remembered.
    await expect(page.getByTestId("top-values-toggle")).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByTestId("top-targets").getByTestId("top-value").first()).toBeVisible();
    await settled(page);
    await page.getByTestId("top-values-toggle").focus();
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("top-actors").getByTestId("top-value").first().getByRole("button").first()).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("top-actors").getByTestId("top-value-exclude").first()).toBeFocused();
    // From the end of one list, Tab goes on to the next list.
    await page.getByTestId("top-ips").getByTestId("top-value-exclude").last().focus();
    const target = await rowParts(page.getByTestId("top-targets").getByTestId("top-value").first());
    await page.keyboard.press("Tab");
    await expect(target.include).toBeFocused();
    await page.keyboard.press("Enter");
    await expect.poll(() => queryOf(page)).toMatch(/^target:\S+:\S+$/);
    await page.keyboard.press("Tab");
    await expect(target.exclude).toBeFocused();
    await page.keyboard.press("Enter");
    await expect.poll(() => queryOf(page)).toMatch(/^-target:\S+:\S+$/);

    // Dark mode reads as well.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForTimeout(500);
    await expectAccessible(page, "top values, dark");
    await shot(page, `${SHOTS}/top-values-dark.png`);
  });

  test("on a phone the lists stack and stay usable", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, "auditor@acme.test");
    await page.goto("/orgs/acme/audit-logs?range=all");
    await openTopValues(page);
    const panel = page.getByTestId("top-values");
    const box = (await panel.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    // No sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, `${SHOTS}/top-values-phone.png`);
    await panel.screenshot({ path: `${SHOTS}/top-values-phone-panel.png` });
    await expectAccessible(page, "top values, phone");
    // Five rows a list until asked for all.
    const actors = page.getByTestId("top-actors").getByTestId("top-value");
    await expect(actors.filter({ visible: true })).toHaveCount(5);
    await page.getByRole("button", { name: /^Show all \d+ actors$/ }).click();
    await expect(actors.filter({ visible: true })).toHaveCount(await actors.count());
    await expect(page.getByRole("button", { name: "Show fewer" })).toHaveAttribute("aria-expanded", "true");
    const ip = await rowParts(page.getByTestId("top-ips").getByTestId("top-value").first());
    await ip.include.click();
    await expect.poll(() => queryOf(page)).toMatch(/^ip:\S+$/);
  });

  test("a member's lists count only their own events", async ({ page }) => {
    type Top = { actors: { type: string; id: string; count: number }[]; ips: { ip: string }[]; targets: { type: string; id: string }[] };
    await signIn(page, "auditor@acme.test");
    const whole = ((await (await page.request.get("/api/v1/orgs/acme/events/top")).json()) as { data: Top }).data;

    await page.context().clearCookies();
    await signIn(page, "member@acme.test");
    await page.goto("/orgs/acme/audit-logs?range=all");
    await openTopValues(page);
    // Every event the member may read, page by page.
    type Event = { actor: { type: string; id: string }; targets: { type: string; id: string }[]; context: { location?: string } };
    const visible: Event[] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const batch = (await (await page.request.get(`/api/v1/orgs/acme/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as { data: Event[]; next_cursor: string | null };
      visible.push(...batch.data);
      cursor = batch.next_cursor;
    }
    expect(visible.length).toBeGreaterThan(0);
    for (const e of visible) expect(e.actor.id === "u_acme_member" || e.targets.some((t) => t.id === "u_acme_member")).toBe(true);
    const names = (e: { type: string; id: string }) => `${e.type}:${e.id}`;
    const actors = new Set(visible.map((e) => names(e.actor)));
    const targets = new Set(visible.flatMap((e) => e.targets.map(names)));
    const ips = new Set(visible.map((e) => e.context.location).filter(Boolean));
    // Every value in the member's lists comes from an event they may read…
    for (const value of await listValues(page, "top-actors")) expect(actors.has(value), value).toBe(true);
    for (const value of await listValues(page, "top-targets")) expect(targets.has(value), value).toBe(true);
    for (const value of await listValues(page, "top-ips")) expect(ips.has(value), value).toBe(true);
    // …and the counts are of those events only, where the whole log's are far more.
    const counts = await page.getByTestId("top-actors").getByTestId("top-value").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-count"))));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(visible.length);
    expect(whole.actors.reduce((sum, a) => sum + a.count, 0)).toBeGreaterThan(visible.length);
  });
});
