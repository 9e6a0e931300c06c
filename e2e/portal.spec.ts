import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { signIn } from "./helpers";

/*
 * Portal links (issue 18): a vendor key makes a one-time link, a person
 * follows it into one organization's viewer with the link's role and a way back
 * to the vendor's app, and the vendor's own site may show it in an iframe while
 * any other site may not.
 */

const SHOTS = "test-results/screenshots";
const VENDOR_NAME = "Acme Cloud";
const ACCENT = "#0e9f6e";

/** A page on a second local origin (127.0.0.1, where the app is on localhost) that frames a link. */
async function embeddingSite(): Promise<{ origin: string; serve: (link: string) => void; close: () => Promise<void> }> {
  let link = "about:blank";
  const server: Server = createServer((_, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><title>Vendor app</title><h1>Vendor app</h1><iframe id="portal" src="${link}" style="width:1200px;height:700px"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, serve: (next) => (link = next), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function configurePortal(page: Page, returnOrigin: string, frameOrigin: string): Promise<void> {
  await page.goto("/admin/portal", { waitUntil: "networkidle" });
  await page.getByLabel("Your app's name").fill(VENDOR_NAME);
  await page.getByLabel("Accent colour", { exact: true }).fill(ACCENT);
  await page.getByLabel("Allowed return origins").fill(returnOrigin);
  await page.getByLabel("Sites that may embed the portal").fill(frameOrigin);
  await page.getByLabel("Portal session length").fill("60");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
}

async function createPortalKey(page: Page): Promise<string> {
  await page.goto("/admin/api-keys", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill(`Portal e2e ${Date.now().toString(36)}`);
  await page.getByLabel(/portal:write/).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

async function createLink(request: APIRequestContext, key: string, body: Record<string, unknown>): Promise<string> {
  const response = await request.post("/api/v1/portal-links", { headers: { authorization: `Bearer ${key}` }, data: body });
  expect(response.status(), await response.text()).toBe(201);
  const { link, expires_at } = (await response.json()) as { link: string; expires_at: string };
  expect(Date.parse(expires_at) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  return link;
}

const person = (tag: string) => ({ id: `u_portal_${tag}`, email: `portal-${tag}@acme.test`, name: `Portal ${tag}` });

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test.describe.serial("portal links", () => {
  let key = "";
  let site: Awaited<ReturnType<typeof embeddingSite>>;
  let otherSite: Awaited<ReturnType<typeof embeddingSite>>;
  const run = Date.now().toString(36);

  test.beforeAll(async () => {
    site = await embeddingSite();
    otherSite = await embeddingSite();
  });
  test.afterAll(async () => {
    await site.close();
    await otherSite.close();
  });

  test("a vendor admin sets the portal's branding and origins in the console, and makes a portal:write key", async ({ page }) => {
    await signIn(page, "admin@vendor.test");
    await configurePortal(page, site.origin, site.origin);
    await page.screenshot({ path: `${SHOTS}/portal-console.png`, fullPage: true });
    key = await createPortalKey(page);
    expect(key).toMatch(/^ot_/);
    await page.goto("/admin/audit-logs");
    await expect(page.getByText("Portal settings changed").first()).toBeVisible();
  });

  test("a link from the API opens the viewer as that role, with Back to the vendor, and works once", async ({ browser, request }) => {
    const returnUrl = `${site.origin}/app/settings`;
    const link = await createLink(request, key, { organization_id: "acme", user: person(`a${run}`), role: "auditor", intent: "audit_logs", return_url: returnUrl });
    const page = await freshPage(browser);
    await page.goto(link);
    await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs$/);
    await expect(page.getByTestId("events-scroller")).toBeVisible();
    const back = page.getByTestId("portal-back");
    await expect(back).toHaveText(`Back to ${VENDOR_NAME}`);
    await expect(back).toHaveAttribute("href", returnUrl);
    await expect(page.getByTestId("portal-brand")).toContainText(VENDOR_NAME);
    // An auditor: Settings shows the log streams only; Export is there.
    await page.getByTestId("user-menu").click();
    await expect(page.getByRole("menu")).toContainText("auditor");
    await page.keyboard.press("Escape");
    await page.screenshot({ path: `${SHOTS}/portal-session.png` });

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"))!;
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "None" });

    // The session reaches acme only: not globex (where nobody made it a member either), not the console.
    expect((await page.goto("/orgs/globex/audit-logs"))?.status()).toBe(404);
    expect((await page.goto("/admin/portal"))?.status()).toBe(404);

    const again = await freshPage(browser);
    const second = await again.goto(link);
    expect(second?.status()).toBe(410);
    await expect(again.getByTestId("portal-error")).toContainText("already used");
    expect((await again.context().cookies()).filter((c) => c.name.endsWith("session-token"))).toEqual([]);
    expect((await again.goto(link.replace(/[^/]+$/, "x".repeat(43))))?.status()).toBe(404);
  });

  test("a member's link opens their own events, on the page the intent names", async ({ browser, request }) => {
    const link = await createLink(request, key, { organization_id: "acme", user: person(`m${run}`), role: "member", intent: "settings" });
    const page = await freshPage(browser);
    await page.goto(link);
    // A member has no settings section: the intent's page is a 404 for them, and the log shows their own events only.
    await page.goto("/orgs/acme/audit-logs");
    await expect(page.getByTestId("events-scroller")).toBeVisible();
    await expect(page.getByTestId("portal-back")).toHaveCount(0);
    await expect(page.getByText(`Portal m${run}`).first()).toBeVisible();
  });

  test("an allowed site shows the portal in an iframe", async ({ browser, request }) => {
    site.serve(await createLink(request, key, { organization_id: "acme", user: person(`f${run}`), role: "admin", intent: "audit_logs", return_url: `${site.origin}/app` }));
    const page = await freshPage(browser);
    await page.goto(`${site.origin}/`);
    const frame = page.frameLocator("#portal");
    // The portal session's page, rendered inside the frame with its partitioned cookie: the session's header on the viewer's page.
    await expect(frame.getByTestId("portal-back")).toHaveText(`Back to ${VENDOR_NAME}`);
    expect(page.frames().find((f) => f !== page.mainFrame())?.url()).toMatch(/\/orgs\/acme\/audit-logs$/);
    // The viewer itself works in the frame, where the browser refuses it storage (its preferences then live in memory).
    await expect(frame.getByTestId("events-scroller")).toBeVisible();
    await expect(frame.getByTestId("event-row").first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/portal-iframe.png` });
  });

  test("a site that is not allowed cannot frame it", async ({ browser, request }) => {
    otherSite.serve(await createLink(request, key, { organization_id: "acme", user: person(`x${run}`), role: "admin", intent: "audit_logs" }));
    const page = await freshPage(browser);
    const refusals: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("frame-ancestors")) refusals.push(message.text());
    });
    await page.goto(`${otherSite.origin}/`);
    await expect.poll(() => refusals.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect(page.frameLocator("#portal").getByTestId("events-scroller")).toHaveCount(0);
  });
});
