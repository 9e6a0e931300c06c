import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

/**
 * Signs in through next-auth's credentials endpoint (the login form has its own
 * spec), so a dev server's hot reloads during sign-in cannot make the test flaky.
 */
async function signIn(page: Page, email: string): Promise<void> {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: DEMO_PASSWORD, json: "true" } });
  expect(response.ok()).toBe(true);
  await page.goto("/orgs/acme/audit-logs");
  await page.waitForLoadState("networkidle");
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/settings-${name}.png`, fullPage: true });

async function eventsOf(page: Page, action: string): Promise<{ actor: { id: string }; targets: { type: string; id: string }[]; metadata: Record<string, unknown> }[]> {
  const response = await page.request.get(`/api/v1/orgs/acme/events?q=${encodeURIComponent(`action:${action}`)}&limit=10`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { data: never[] }).data;
}

test("an owner invites a member, who joins; the owner changes their role and removes them", async ({ page, browser }) => {
  // A long journey through several pages, each compiled on first use by the dev server.
  test.setTimeout(180_000);
  const stamp = Date.now();
  const email = `e2e-${stamp}@example.test`;
  const externalId = `u_e2e_${stamp}`;
  await signIn(page, "owner@acme.test");
  // The header links to settings; opened directly so the live viewer's own URL updates cannot race the click.
  await expect(page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Settings" })).toHaveAttribute("href", "/orgs/acme/settings");
  await open(page, "/orgs/acme/settings");
  await expect(page).toHaveURL(/\/orgs\/acme\/settings\/members$/);
  await expect(page.getByTestId("members-table")).toContainText("owner@acme.test");
  await shot(page, "members");

  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel(/External id/).fill(externalId);
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  const link = await dialog.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await shot(page, "invite-link");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("pending-invites")).toContainText(email);

  const invitee = await browser.newContext();
  const guest = await invitee.newPage();
  await open(guest, link);
  await expect(guest.getByRole("heading", { name: /Join Acme Corp/ })).toBeVisible();
  await guest.getByLabel("Your name").fill("Edith Example");
  await guest.getByLabel(/^Password/).fill("correct horse battery");
  await guest.getByLabel("Confirm password").fill("correct horse battery");
  await guest.screenshot({ path: "test-results/screenshots/settings-accept-invite.png" });
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(/\/orgs\/acme\/audit-logs/);
  await expect(guest.getByTestId("own-events-notice")).toBeVisible();
  await expect(guest.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  // The link works once.
  await guest.goto(link);
  await expect(guest.getByTestId("invite-unusable")).toContainText("already been used");
  await invitee.close();

  await page.reload();
  await page.waitForLoadState("networkidle");
  const row = page.getByTestId(`member-${email}`);
  await expect(row).toContainText("Edith Example");
  await expect(page.getByTestId("pending-invites").filter({ hasText: email })).toHaveCount(0);
  await row.getByLabel("Role of Edith Example").selectOption("auditor");
  await expect.poll(async () => (await eventsOf(page, "orgtrail.member.role_changed")).filter((e) => e.metadata.role_to === "auditor" && e.targets[0]?.id === externalId).length).toBe(1);
  await page.reload();
  await expect(page.getByTestId(`member-${email}`).getByLabel("Role of Edith Example")).toHaveValue("auditor");

  await page.getByTestId(`member-${email}`).getByRole("button", { name: "Remove Edith Example" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByTestId(`member-${email}`)).toHaveCount(0);

  expect((await eventsOf(page, "orgtrail.member.invited")).filter((e) => e.metadata.email === email)).toHaveLength(1);
  expect((await eventsOf(page, "orgtrail.member.joined")).filter((e) => e.actor.id === externalId && e.metadata.role === "member")).toHaveLength(1);
  expect((await eventsOf(page, "orgtrail.member.removed")).filter((e) => e.targets[0]?.id === externalId)).toHaveLength(1);
});

test("the last owner cannot demote themselves", async ({ page }) => {
  await signIn(page, "owner@acme.test");
  await open(page, "/orgs/acme/settings/members");
  await page.getByTestId("member-owner@acme.test").getByLabel("Role of Ada Lovelace").selectOption("admin");
  await expect(page.locator("[role=alert]:not(#__next-route-announcer__)")).toContainText("last owner");
  await page.reload();
  await expect(page.getByTestId("member-owner@acme.test").getByLabel("Role of Ada Lovelace")).toHaveValue("owner");
});

test("an admin creates an API key, sees the secret once, and revokes it", async ({ page }) => {
  const name = `E2E key ${Date.now()}`;
  await signIn(page, "admin@acme.test");
  await open(page, "/orgs/acme/settings/api-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel(/events:read/).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const secret = await dialog.getByTestId("api-key-secret").inputValue();
  expect(secret).toMatch(/^ot_/);
  await shot(page, "api-key-secret");
  await dialog.getByRole("button", { name: "I've stored it" }).click();

  const used = await page.request.get("/api/v1/orgs/acme/events?limit=1", { headers: { authorization: `Bearer ${secret}` } });
  expect(used.status()).toBe(200);
  const row = page.getByTestId(`api-key-${name}`);
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(page.locator("body")).not.toContainText(secret);
  await shot(page, "api-keys");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await page.request.get("/api/v1/orgs/acme/events?limit=1", { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
});

test("an owner changes retention within the vendor's bounds", async ({ page }) => {
  await signIn(page, "owner@acme.test");
  await open(page, "/orgs/acme/settings/retention");
  const days = page.getByLabel("Keep events for");
  await days.fill("10");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("[role=alert]:not(#__next-route-announcer__)")).toContainText("at least 30 days");
  await page.getByRole("button", { name: "2 years" }).click();
  await expect(days).toHaveValue("730");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
  await shot(page, "retention");
  await page.reload();
  await expect(page.getByLabel("Keep events for")).toHaveValue("730");
  await page.getByRole("button", { name: "1 year" }).click();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
});

test("member@acme.test sees no settings and gets 404 on every settings page", async ({ page }) => {
  await signIn(page, "member@acme.test");
  await expect(page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  for (const path of ["settings", "settings/members", "settings/api-keys", "settings/retention", "settings/log-streams"]) {
    const response = await page.goto(`/orgs/acme/${path}`);
    expect(response?.status(), path).toBe(404);
  }
});

test("auditor@acme.test sees only the log streams in settings, read-only, and 404 on the other sections", async ({ page }) => {
  await signIn(page, "auditor@acme.test");
  await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/settings\/log-streams$/);
  await expect(page.getByRole("button", { name: /add stream/i })).toHaveCount(0);
  for (const path of ["settings/members", "settings/api-keys", "settings/retention"]) {
    const response = await page.goto(`/orgs/acme/${path}`);
    expect(response?.status(), path).toBe(404);
  }
});
