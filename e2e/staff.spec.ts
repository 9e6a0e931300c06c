import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut } from "./helpers";

// Demo data (DESIGN): admin@vendor.test is the one vendor admin, support@vendor.test vendor support; acme is "Acme Corp".

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/${name}.png` });

test("a vendor admin invites a support engineer and sees the set-password link once", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const email = `sam-${Date.now().toString(36)}@vendor.test`;
  await signIn(page, "admin@vendor.test");
  await page.getByRole("link", { name: "Admin" }).click();
  await page.getByRole("navigation", { name: "Vendor console" }).getByRole("link", { name: "Staff" }).click();
  await expect(page).toHaveURL(/\/admin\/staff$/);
  await expect(page.getByTestId("staff-admin@vendor.test")).toContainText("You");

  await page.getByRole("button", { name: "Invite staff" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Name").fill("Sam Rivera");
  await dialog.getByRole("radio", { name: /Support/ }).check();
  await dialog.getByRole("button", { name: "Invite", exact: true }).click();
  const link = dialog.getByTestId("set-password-link");
  await expect(link).toHaveValue(/\/set-password\/[A-Za-z0-9_-]{43}$/);
  const url = await link.inputValue();
  await shot(page, "staff-invite-link");
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByTestId(`staff-${email}`);
  await expect(row).toContainText("Sam Rivera");
  await expect(row).toContainText("invitation pending");
  await expect(row.getByRole("combobox")).toHaveValue("vendor_support");
  await shot(page, "staff-page");

  // Shown once: the page, reloaded, does not carry it; the link itself works for the new person.
  const token = url.split("/set-password/")[1]!;
  await page.reload();
  await expect(page.getByTestId(`staff-${email}`)).toBeVisible();
  expect(await page.content()).not.toContain(token);
  const stranger = await browser.newPage();
  await stranger.goto(new URL(url).pathname);
  await expect(stranger.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await expect(stranger.getByTestId("set-password-unusable")).toHaveCount(0);
  await stranger.close();

  // The invitation is in the vendor log.
  await page.goto(`/admin/audit-logs?q=${encodeURIComponent("action:orgtrail.staff.invited")}`);
  await expect(page.getByTestId("event-row").filter({ hasText: email }).first()).toBeVisible();
});

test("the last vendor admin cannot demote themself", async ({ page }) => {
  await signIn(page, "admin@vendor.test");
  await page.goto("/admin/staff");
  const row = page.getByTestId("staff-admin@vendor.test");
  await expect(row).toContainText("last admin");
  await row.getByRole("combobox").selectOption("vendor_support");
  await expect(row.getByTestId("staff-role-error")).toContainText("You are the last vendor admin");
  await shot(page, "staff-last-admin");
  await page.reload();
  await expect(page.getByTestId("staff-admin@vendor.test").getByRole("combobox")).toHaveValue("vendor_admin");
  // Vendor admins read no customer log, so the Organizations table offers them no support access.
  await page.goto("/admin/organizations");
  await expect(page.locator('[data-testid="organization-row"][data-slug="acme"]')).toBeVisible();
  await expect(page.getByRole("button", { name: /Request support access/ })).toHaveCount(0);
});

test("support requests access to a customer's log from the organizations list, reads it under a banner, and ends it", async ({ page }) => {
  test.setTimeout(180_000);
  const reason = `Ticket #${Date.now() % 100000}: customer asks why an export is missing rows`;
  await signIn(page, "support@vendor.test");
  await page.getByRole("link", { name: "Support", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/organizations$/);
  const acme = page.locator('[data-testid="organization-row"][data-slug="acme"]');
  await expect(acme).toBeVisible();
  // Start from no grant (a previous run may have left one open).
  const endLeftover = acme.getByRole("button", { name: "End support access to Acme Corp" });
  if (await endLeftover.isVisible()) {
    await endLeftover.click();
    await expect(acme.getByRole("button", { name: "Request support access to Acme Corp" })).toBeVisible();
  }
  // Support staff manage nothing here, and see only customers.
  await expect(page.getByRole("button", { name: "New organization" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rename" })).toHaveCount(0);
  await expect(page.getByTestId("organization-row").filter({ hasText: "vendor log" })).toHaveCount(0);
  await shot(page, "staff-support-organizations");

  await acme.getByRole("button", { name: "Request support access to Acme Corp" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Request support access to Acme Corp");
  await dialog.getByLabel("Reason for access").fill("help pls");
  await dialog.getByRole("button", { name: /Open read-only access/ }).click();
  await expect(dialog.getByTestId("support-error")).toContainText("at least 10 characters");
  await dialog.getByLabel("Reason for access").fill(reason);
  await dialog.getByText("15 min", { exact: true }).click();
  await shot(page, "staff-support-request");
  await dialog.getByRole("button", { name: "Open read-only access for 15 minutes" }).click();

  await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs/);
  const banner = page.getByTestId("support-banner");
  await expect(banner).toContainText("Support access to Acme Corp ends at");
  await expect(banner).toContainText(/\(in 1[45] minutes\)/);
  await expect(banner).toContainText(reason);
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  await shot(page, "staff-support-banner");

  // The banner is on every page of the organization; the list shows the grant and opens the log.
  await page.goto("/admin/organizations");
  await expect(acme.getByTestId("support-access-status")).toContainText("Open until");
  await acme.getByRole("link", { name: "Open log of Acme Corp" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs/);
  await page.getByTestId("org-switcher").click();
  await expect(page.getByRole("menuitem", { name: /Acme Corp.*until/ })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: /Globex.*no access/ })).toBeVisible();
  await shot(page, "staff-support-switcher");
  await page.keyboard.press("Escape");

  await page.getByTestId("support-banner").getByRole("button", { name: "End access" }).click();
  await expect(page).toHaveURL(/\/admin\/organizations$/);
  await expect(acme.getByRole("button", { name: "Request support access to Acme Corp" })).toBeVisible();
  await page.goto("/orgs/acme/audit-logs");
  await expect(page).toHaveURL(/\/orgs\/acme\/support$/);
  await expect(page.getByTestId("support-banner")).toHaveCount(0);
  expect((await page.request.get("/api/v1/orgs/acme/events")).status()).toBe(404);
  await signOut(page);

  // The customer reads who opened their log, why and for how long.
  await signIn(page, "owner@acme.test");
  const url = `/api/v1/orgs/acme/events?q=${encodeURIComponent("action:orgtrail.support.accessed")}&limit=20`;
  const { data } = (await page.evaluate(async (u) => (await fetch(u)).json(), url)) as { data: { actor: { metadata: { email: string } }; metadata: { reason: string; duration_minutes: number } }[] };
  const access = data.find((e) => e.metadata.reason === reason);
  expect(access?.actor.metadata.email).toBe("support@vendor.test");
  expect(access?.metadata.duration_minutes).toBe(15);
});
