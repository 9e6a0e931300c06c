import { expect, test, type Page } from "@playwright/test";
import { DEMO_VENDOR_KEY, signIn, signOut } from "./helpers";

const SHOTS = "test-results/screenshots";
const exportButton = (page: Page) => page.getByRole("button", { name: /^Export/ });

/** A page typed by hand that must not exist for this person. */
async function expect404(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(404);
}

async function globexEventId(page: Page): Promise<string> {
  const response = await page.request.get("/api/v1/orgs/globex/events?limit=1", { headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` } });
  return ((await response.json()) as { data: { id: string }[] }).data[0]!.id;
}

test("the owner sees the whole log, Export and Settings, and nothing of another tenant", async ({ page }) => {
  const foreignId = await globexEventId(page);
  await signIn(page, "owner@acme.test");
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  await expect(exportButton(page)).toBeVisible();
  await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();
  await expect(page.getByTestId("own-events-notice")).toHaveCount(0);
  // A globex event typed under acme's path: 404, whatever the path.
  await expect404(page, `/orgs/acme/audit-logs/${foreignId}`);
  // In globex the owner is a plain member: own activity only, no settings.
  await page.goto("/orgs/globex/audit-logs");
  await expect(page.getByTestId("own-events-notice")).toBeVisible();
  await expect(exportButton(page)).toHaveCount(0);
  await expect404(page, "/orgs/globex/settings/members");
  await expect404(page, "/orgs/no-such-org/audit-logs");
  await expect404(page, "/admin/organizations");
});

test("an auditor reads and exports, sees only the log streams in settings, and gets 404 on the other sections", async ({ page }) => {
  await signIn(page, "auditor@acme.test");
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  await expect(exportButton(page)).toBeVisible();
  await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();
  for (const section of ["members", "api-keys", "retention"]) await expect404(page, `/orgs/acme/settings/${section}`);
  await expect404(page, "/orgs/globex/audit-logs");
});

test("a member sees only their own activity, no export, no settings, no other tenant", async ({ page }) => {
  const foreignId = await globexEventId(page);
  await signIn(page, "member@acme.test");
  await expect(page.getByTestId("own-events-notice")).toContainText("limited to your own activity");
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  await expect(exportButton(page)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/access-member-viewer.png` });
  // The server refuses too, not only the hidden button.
  expect((await page.request.get("/api/v1/orgs/acme/events/export.csv")).status()).toBe(403);
  expect((await page.request.post("/api/v1/orgs/acme/exports", { data: { format: "csv" } })).status()).toBe(403);
  for (const section of ["members", "api-keys", "retention"]) await expect404(page, `/orgs/acme/settings/${section}`);
  await expect404(page, "/orgs/acme/settings");
  await expect404(page, `/orgs/acme/audit-logs/${foreignId}`);
  await expect404(page, "/orgs/globex/audit-logs");
  await expect404(page, "/orgs/acme/support");
});

test("a vendor admin manages the console and the vendor log, and reads no customer's events", async ({ page }) => {
  await signIn(page, "admin@vendor.test");
  await page.goto("/orgs/vendor/audit-logs");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect404(page, "/orgs/acme/audit-logs");
  await expect404(page, "/orgs/acme/support");
  expect((await page.request.get("/api/v1/orgs/acme/events")).status()).toBe(404);
  const consolePage = await page.goto("/admin/organizations");
  expect(consolePage?.status()).toBe(200);
});

test("vendor support gives a reason before opening a customer's log, and the customer sees it", async ({ page }) => {
  test.setTimeout(180_000);
  const reason = `Ticket #${Date.now() % 100000}: customer reports missing sign-in events`;
  await signIn(page, "support@vendor.test");
  // Start from no grant (a previous run may have left one open).
  await page.goto("/orgs/acme/support");
  const end = page.getByRole("button", { name: "End access now" });
  if (await end.isVisible()) {
    await end.click();
    // The grant has ended (the form to ask again is back) before the checks that there is none.
    await expect(page.getByLabel("Reason for access")).toBeVisible();
  }

  // Without a grant: the log sends them to the support page, the API says 404.
  await page.goto("/orgs/acme/audit-logs");
  await expect(page).toHaveURL(/\/orgs\/acme\/support$/);
  expect((await page.request.get("/api/v1/orgs/acme/events")).status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Support access to Acme Corp" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/access-support-form.png` });

  await page.getByLabel("Reason for access").fill("help pls");
  await page.getByRole("button", { name: /Open read-only access/ }).click();
  await expect(page.getByTestId("support-error")).toContainText("at least 10 characters");
  await page.screenshot({ path: `${SHOTS}/access-support-short-reason.png` });
  expect((await page.request.get("/api/v1/orgs/acme/events")).status()).toBe(404);

  await page.getByLabel("Reason for access").fill(reason);
  await page.getByRole("button", { name: /Open read-only access/ }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs/);
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  // Read-only: no export, no settings, by button and by server.
  await expect(exportButton(page)).toHaveCount(0);
  expect((await page.request.get("/api/v1/orgs/acme/events/export.csv")).status()).toBe(403);
  await expect404(page, "/orgs/acme/settings/members");
  // The grant covers acme only.
  await page.goto("/orgs/globex/audit-logs");
  await expect(page).toHaveURL(/\/orgs\/globex\/support$/);

  await page.goto("/orgs/acme/support");
  await expect(page.getByTestId("support-grant")).toContainText(reason);
  await page.screenshot({ path: `${SHOTS}/access-support-granted.png` });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: `${SHOTS}/access-support-granted-dark.png` });
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByRole("button", { name: "End access now" }).click();
  await expect(page.getByLabel("Reason for access")).toBeVisible();
  expect((await page.request.get("/api/v1/orgs/acme/events")).status()).toBe(404);
  await signOut(page);

  await signIn(page, "owner@acme.test");
  // Read as the owner's browser does (the browser retries a keep-alive connection the dev server has just closed).
  const url = `/api/v1/orgs/acme/events?q=${encodeURIComponent("action:orgtrail.support.accessed")}&limit=5`;
  const { data } = (await page.evaluate(async (u) => (await fetch(u)).json(), url)) as { data: { actor: { id: string; name: string; metadata: { email: string } }; metadata: { reason: string } }[] };
  const access = data.find((e) => e.metadata.reason === reason);
  expect(access?.actor).toMatchObject({ type: "user", name: "Sam Support", metadata: { email: "support@vendor.test" } });
  await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent("action:orgtrail.support.accessed")}`);
  await expect(page.getByTestId("event-row").filter({ hasText: "Sam Support" }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/access-owner-sees-support-access.png` });
});

test("session cookies are HttpOnly and SameSite=Lax; a cross-site mutation with them is refused", async ({ page, context }) => {
  await signIn(page, "owner@acme.test");
  const session = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  // NEXTAUTH_URL is http here; over https next-auth sets Secure and the __Secure- prefix itself.
  expect(session!.secure).toBe(new URL(page.url()).protocol === "https:");

  const origin = new URL(page.url()).origin;
  const crossSite = await page.request.post("/api/v1/orgs/acme/exports", { data: { format: "csv" }, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  const sameSite = await page.request.post("/api/v1/orgs/acme/exports", { data: { format: "csv" }, headers: { origin, "sec-fetch-site": "same-origin" } });
  expect(sameSite.status()).toBe(202);
  // An API key is not a cookie: no browser attaches it, so it may call from anywhere.
  const withKey = await page.request.post("/api/v1/orgs/acme/exports", { data: { format: "csv" }, headers: { origin: "https://evil.example", authorization: `Bearer ${DEMO_VENDOR_KEY}` } });
  expect(withKey.status()).toBe(202);
});

test("a wrong password and an unknown email get the same answer", async ({ page }) => {
  const messages: string[] = [];
  for (const email of ["owner@acme.test", "nobody-here@acme.test"]) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("definitely-wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    messages.push((await page.getByTestId("login-error").textContent()) ?? "");
  }
  expect(messages[0]).toContain("don't match an account");
  expect(messages[1]).toBe(messages[0]);
});
