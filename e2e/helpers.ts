import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "orgtrail-demo";
export const DEMO_VENDOR_KEY = "ot_demo_vendor_key_0000000000000000";

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A dev server compiles the landing pages on first use; a built one answers at once.
  await expect(page).toHaveURL(/\/orgs\/[^/]+\/audit-logs/, { timeout: 60_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** A vendor admin (signed in, on any page) creates a customer organization in the console; returns its row there. */
export async function createOrganizationInConsole(page: Page, name: string, slug: string) {
  await page.goto("/admin/organizations", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "New organization" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Slug").fill(slug);
  await page.getByRole("button", { name: "Create organization" }).click();
  const row = page.locator(`[data-testid="organization-row"][data-slug="${slug}"]`);
  await expect(row).toBeVisible();
  return row;
}
