import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type FrameLocator, type Locator, type Page } from "@playwright/test";
import { DEMO_VENDOR_KEY, signIn } from "./helpers";

/*
 * Saved searches (issue 15): a person saves the viewer's query, range and
 * columns, finds them again after a reload, shares one with the organization;
 * others see it under Shared and may delete it only if they manage members.
 * The same menu works in a portal session framed by the vendor's site.
 */

const SHOTS = "/tmp/pw-saved";
const run = Date.now().toString(36);
const ACTION = `saved.probe_${run}`;
const OTHER_ACTION = `saved.other_${run}`;

/** Sends events into acme with the demo vendor key. */
async function sendEvents(request: APIRequestContext, events: Record<string, unknown>[]): Promise<void> {
  const response = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: { organization_id: "acme", events: events.map((e) => ({ occurred_at: new Date(Date.now() - 60_000).toISOString(), actor: { type: "user", id: "u_saved_e2e" }, targets: [], ...e })) },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** Where to look: the page, or the portal's frame on the vendor's page. */
type Within = Page | FrameLocator;

const search = (within: Within) => within.getByRole("combobox", { name: "Search events" });
const menuButton = (within: Within) => within.getByTestId("saved-searches-menu");
const savedItem = (within: Within | Locator, name: string) => within.getByTestId("saved-search").filter({ hasText: name });
const group = (page: Page, name: string) => page.getByRole("group", { name });

/**
 * Opens the saved-search menu from its button with Enter, once it has closed, and waits for the list it
 * fetches on opening: keys sent before that refresh has landed can be lost, so the open is retried.
 */
async function openByKeyboard(page: Page): Promise<void> {
  const list = page.getByTestId("saved-searches-list");
  await expect(list).toBeHidden();
  await expect(async () => {
    const refreshed = page.waitForResponse((r) => r.request().method() === "GET" && r.url().endsWith("/saved-searches"), { timeout: 3_000 });
    await menuButton(page).focus();
    await page.keyboard.press("Enter");
    await refreshed;
    await expect(list).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

async function viewerReady(page: Page): Promise<void> {
  await expect(page.getByTestId("event-row").first()).toBeVisible();
}

/** Saves the current view through the menu's dialog. */
async function saveCurrent(within: Within, name: string, options: { share?: boolean; columns?: boolean } = {}): Promise<void> {
  await menuButton(within).click();
  await within.getByRole("menuitem", { name: "Save current search…" }).click();
  const dialog = within.getByRole("dialog", { name: "Save current search" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Name").fill(name);
  if (options.share) await dialog.getByLabel(/Share with everyone in/).check();
  if (options.columns) await dialog.getByLabel(/Include column layout/).check();
  await dialog.getByRole("button", { name: "Save search" }).click();
  await expect(dialog).toBeHidden();
}

test.describe("saved searches", () => {
  test.describe.configure({ timeout: 180_000 });
  test.use({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });

  test.beforeAll(async ({ request }) => {
    mkdirSync(SHOTS, { recursive: true });
    await sendEvents(request, [
      { action: ACTION, targets: [{ type: "document", id: "doc_saved" }] },
      // About the member, so their own-events view has one of these too.
      { action: ACTION, targets: [{ type: "user", id: "u_acme_member" }] },
      { action: OTHER_ACTION, targets: [{ type: "user", id: "u_acme_member" }] },
    ]);
  });

  test("an auditor saves a query, range and columns; after a reload one choice applies them all", async ({ page }) => {
    const name = `Probes ${run}`;
    await signIn(page, "auditor@acme.test");
    await viewerReady(page);
    await expect(menuButton(page)).toHaveText(/Saved searches/);

    await search(page).fill(`action:${ACTION}`);
    await search(page).press("Enter");
    await expect(page).toHaveURL(new RegExp(`q=action%3A${ACTION.replace(".", "\\.")}`));
    await page.getByTestId("range-picker").click();
    await page.getByRole("option", { name: /Last 24 hours/ }).click();
    await expect(page).toHaveURL(/range=24h/);
    // Hide the IP column: the saved layout keeps that.
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("checkbox", { name: "IP address" }).uncheck();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("columnheader", { name: "IP address" })).toHaveCount(0);

    await menuButton(page).click();
    await page.getByRole("menuitem", { name: "Save current search…" }).click();
    const dialog = page.getByRole("dialog", { name: "Save current search" });
    await expect(dialog.getByTestId("save-search-summary")).toContainText(`action:${ACTION}`);
    await expect(dialog.getByTestId("save-search-summary")).toContainText("Last 24 hours");
    await expect(dialog.getByLabel("Name")).toBeFocused();
    // A name is required: the server says so, in the dialog.
    await dialog.getByRole("button", { name: "Save search" }).click();
    await expect(dialog.getByTestId("form-error")).toContainText("name");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel(/Include column layout/).check();
    await dialog.getByRole("button", { name: "Save search" }).click();
    await expect(dialog).toBeHidden();
    // The view now is the saved search: the button names it, and focus is back on it.
    await expect(menuButton(page)).toContainText(name);
    await expect(menuButton(page)).toBeFocused();
    await expect(page.getByTestId("saved-search-notice")).toHaveText(`Saved “${name}”`);

    // Saving the same name again is refused with the reason.
    await menuButton(page).click();
    await page.getByRole("menuitem", { name: "Save current search…" }).click();
    await dialog.getByLabel("Name").fill(name.toUpperCase());
    await dialog.getByRole("button", { name: "Save search" }).click();
    await expect(dialog.getByTestId("form-error")).toContainText("already have a saved search named");
    await page.keyboard.press("Escape");

    // Back to the default view and columns, and a reload.
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("checkbox", { name: "IP address" }).check();
    await page.keyboard.press("Escape");
    await page.goto("/orgs/acme/audit-logs");
    await page.reload();
    await viewerReady(page);
    await expect(page.getByRole("columnheader", { name: "IP address" })).toBeVisible();
    await expect(menuButton(page)).toHaveText(/Saved searches/);

    await menuButton(page).click();
    const mine = group(page, "Mine");
    await expect(savedItem(mine, name)).toContainText(`action:${ACTION}`);
    await expect(savedItem(mine, name)).toContainText("Last 24 hours");
    await savedItem(mine, name).click();
    await expect(page).toHaveURL(/range=24h/);
    await expect(search(page)).toHaveValue(`action:${ACTION}`);
    await expect(page.getByTestId("event-total")).toContainText("2 events · last 24 hours");
    const actions = await page.getByTestId("event-row").locator("td:nth-child(2)").allInnerTexts();
    expect(actions.length).toBe(2);
    for (const text of actions) expect(text).toContain(ACTION);
    await expect(page.getByRole("columnheader", { name: "IP address" })).toHaveCount(0);
    await expect(menuButton(page)).toContainText(name);
  });

  test("a shared search: another role sees it under Shared with its owner, cannot change or delete it; an admin may delete it", async ({ page, browser }) => {
    const name = `Member-visible ${run}`;
    await signIn(page, "auditor@acme.test");
    await viewerReady(page);
    await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent(`action:${ACTION}`)}&range=7d`);
    await viewerReady(page);
    await saveCurrent(page, name, { share: true });
    await saveCurrent(page, `Private ${run}`);

    // The open menu, as a person sees it: both groups, the shared badge, the actions button.
    await menuButton(page).click();
    await expect(savedItem(group(page, "Mine"), name)).toContainText("Shared");
    await page.evaluate(() => document.querySelector("nextjs-portal")?.remove());
    await page.screenshot({ path: `${SHOTS}/saved-menu.png` });
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).include('[data-testid="saved-searches-list"]').analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    // Its actions open beside it, from the keyboard too.
    await page.getByRole("menuitem", { name: `Actions for ${name}` }).press("ArrowRight");
    await expect(page.getByRole("menuitemcheckbox", { name: "Shared with the organization" })).toHaveAttribute("aria-checked", "true");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");

    const member = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(member, "member@acme.test");
    await menuButton(member).click();
    const shared = savedItem(group(member, "Shared with the organization"), name);
    await expect(shared).toContainText("by Alan Turing");
    await expect(savedItem(member, `Private ${run}`)).toHaveCount(0);
    await expect(member.getByRole("menuitem", { name: `Actions for ${name}` })).toHaveCount(0);
    // Applying it narrows the member's own view: only the events about them.
    await shared.click();
    await expect(member).toHaveURL(/range=7d/);
    await expect(member.getByTestId("event-total")).toContainText("1 event · last 7 days");
    // The API says the same as the menu: not theirs to change or delete.
    const list = (await (await member.request.get("/api/v1/orgs/acme/saved-searches")).json()) as { data: { id: string; name: string; mine: boolean; owner: { name: string } }[] };
    const entry = list.data.find((s) => s.name === name)!;
    expect(entry).toMatchObject({ mine: false, owner: { name: "Alan Turing" } });
    expect(list.data.some((s) => s.name === `Private ${run}`)).toBe(false);
    expect((await member.request.delete(`/api/v1/orgs/acme/saved-searches/${entry.id}`)).status()).toBe(403);
    expect((await member.request.patch(`/api/v1/orgs/acme/saved-searches/${entry.id}`, { data: { name: "mine now" } })).status()).toBe(403);
    await member.context().close();

    const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(admin, "admin@acme.test");
    await menuButton(admin).click();
    await admin.getByRole("menuitem", { name: `Actions for ${name}` }).click();
    // Not theirs: no rename or share, only delete.
    await expect(admin.getByRole("menuitem", { name: "Rename…" })).toHaveCount(0);
    await admin.getByRole("menuitem", { name: "Delete…" }).click();
    const confirm = admin.getByRole("dialog", { name: `Delete “${name}”?` });
    await expect(confirm).toContainText("Alan Turing shared it with everyone in Acme Corp");
    await confirm.getByRole("button", { name: "Delete saved search" }).click();
    await expect(confirm).toBeHidden();
    await expect(admin.getByTestId("saved-search-notice")).toHaveText(`Deleted “${name}”`);
    await menuButton(admin).click();
    await expect(savedItem(admin, name)).toHaveCount(0);
    await admin.context().close();
  });

  test("owners rename, share and delete from the list, with the keyboard", async ({ page }) => {
    const name = `Keyboard ${run}`;
    await signIn(page, "owner@acme.test");
    await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent(`action:${OTHER_ACTION}`)}&range=all`);
    await viewerReady(page);
    await saveCurrent(page, name);

    // Rename: open the menu and its row's actions with keys only.
    await openByKeyboard(page);
    await page.getByRole("menuitem", { name: `Actions for ${name}` }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("menuitem", { name: "Rename…" })).toBeFocused();
    await page.keyboard.press("Enter");
    const rename = page.getByRole("dialog", { name: `Rename “${name}”` });
    await expect(rename.getByLabel("Name")).toBeFocused();
    await rename.getByLabel("Name").fill(`${name} (renamed)`);
    await page.keyboard.press("Enter");
    await expect(rename).toBeHidden();
    await expect(menuButton(page)).toBeFocused();
    await expect(menuButton(page)).toContainText(`${name} (renamed)`);

    // A view whose query does not parse cannot replace it: the refusal is shown, and the search is unchanged.
    await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent("nope:1")}&range=all`);
    await menuButton(page).click();
    await page.getByRole("menuitem", { name: `Actions for ${name} (renamed)` }).press("ArrowRight");
    await page.getByRole("menuitem", { name: "Replace with current search" }).press("Enter");
    await expect(page.getByTestId("saved-search-error")).toContainText("The query cannot be saved");
    await page.getByTestId("saved-search-error").getByRole("button", { name: "Dismiss" }).click();
    await menuButton(page).click();
    await expect(savedItem(page, `${name} (renamed)`)).toContainText(`action:${OTHER_ACTION}`);
    await page.keyboard.press("Escape");

    // Share it, then delete it behind its confirmation.
    await openByKeyboard(page);
    await page.getByRole("menuitem", { name: `Actions for ${name} (renamed)` }).press("ArrowRight");
    await page.getByRole("menuitemcheckbox", { name: "Shared with the organization" }).press("Enter");
    await expect(page.getByTestId("saved-search-notice")).toHaveText(`“${name} (renamed)” is shared with everyone in Acme Corp`);
    await openByKeyboard(page);
    await page.getByRole("menuitem", { name: `Actions for ${name} (renamed)` }).press("ArrowRight");
    await page.getByRole("menuitem", { name: "Delete…" }).press("Enter");
    const confirm = page.getByRole("dialog", { name: `Delete “${name} (renamed)”?` });
    await expect(confirm).toContainText("It is shared");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
    await openByKeyboard(page);
    await page.getByRole("menuitem", { name: `Actions for ${name} (renamed)` }).press("ArrowRight");
    await page.getByRole("menuitem", { name: "Delete…" }).press("Enter");
    await confirm.getByRole("button", { name: "Delete saved search" }).click();
    await expect(confirm).toBeHidden();
    await expect(menuButton(page)).toHaveText(/Saved searches/);
    await expect(menuButton(page)).toBeFocused();
  });

  test("an API key has no saved searches: 403 with the reason", async ({ request }) => {
    const response = await request.get("/api/v1/orgs/acme/saved-searches", { headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` } });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "forbidden", message: expect.stringContaining("sign in") });
  });

  test("a portal session framed by the vendor's site saves and applies searches", async ({ browser, request }) => {
    const site = await embeddingSite();
    try {
      const admin = await (await browser.newContext()).newPage();
      await signIn(admin, "admin@vendor.test");
      await allowFraming(admin, site.origin);
      const key = await createPortalKey(admin);
      await admin.context().close();

      const link = await request.post("/api/v1/portal-links", {
        headers: { authorization: `Bearer ${key}` },
        data: { organization_id: "acme", user: { id: `u_portal_saved_${run}`, email: `portal-saved-${run}@acme.test`, name: "Portal Saver" }, role: "auditor", intent: "audit_logs" },
      });
      expect(link.status(), await link.text()).toBe(201);
      site.serve(((await link.json()) as { link: string }).link);
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(`${site.origin}/`);
      const frame = page.frameLocator("#portal");
      await expect(frame.getByTestId("event-row").first()).toBeVisible();
      await search(frame).fill(`action:${ACTION}`);
      await search(frame).press("Enter");
      await expect(frame.getByTestId("event-total")).toContainText("2 events");
      await saveCurrent(frame, `Portal ${run}`);
      await expect(menuButton(frame)).toContainText(`Portal ${run}`);

      await search(frame).fill("");
      await search(frame).press("Enter");
      await expect(menuButton(frame)).toHaveText(/Saved searches/);
      await menuButton(frame).click();
      await savedItem(frame, `Portal ${run}`).click();
      await expect(search(frame)).toHaveValue(`action:${ACTION}`);
      await expect(frame.getByTestId("event-total")).toContainText("2 events");
      await page.context().close();
    } finally {
      await site.close();
    }
  });
});

/** A page on a second local origin (127.0.0.1, where the app is on localhost) that frames a link. */
async function embeddingSite(): Promise<{ origin: string; serve: (link: string) => void; close: () => Promise<void> }> {
  let link = "about:blank";
  const server: Server = createServer((_, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><title>Vendor app</title><h1>Vendor app</h1><iframe id="portal" title="Audit log" src="${link}" style="width:1300px;height:800px"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, serve: (next) => (link = next), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Lets the site frame portal sessions (e2e/portal.spec.ts sets its own sites when it runs). */
async function allowFraming(page: Page, origin: string): Promise<void> {
  await page.goto("/admin/portal", { waitUntil: "networkidle" });
  await page.getByLabel("Sites that may embed the portal").fill(origin);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
}

async function createPortalKey(page: Page): Promise<string> {
  await page.goto("/admin/api-keys", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill(`Saved searches e2e ${run}`);
  await page.getByLabel(/portal:write/).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}
