import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

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
    await page.getByRole("menuitemcheckbox", { name: /user\.signed_in/ }).first().click();
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
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("event-panel")).toContainText(second.split("\n")[0]!);
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("event-panel")).toBeHidden();

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
    await shot(page, `${SHOTS}/viewer-phone.png`);
    await (await rows(page)).first().click();
    await expect(page.getByTestId("event-panel")).toBeVisible();
    await shot(page, `${SHOTS}/viewer-phone-detail.png`);
  });
});
