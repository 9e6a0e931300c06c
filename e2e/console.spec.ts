import { expect, test, type Page } from "@playwright/test";
import Papa from "papaparse";
import { DEMO_PASSWORD, DEMO_VENDOR_KEY, signIn, signOut } from "./helpers";

// The dev server compiles each route on first use; do it before the timed steps.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  const page = await browser.newPage();
  await page.goto("/login", { timeout: 120_000 });
  await page.getByLabel("Email").fill("admin@vendor.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/audit-logs/, { timeout: 120_000 });
  for (const path of ["/admin/organizations", "/admin/schemas", "/admin/schemas/new", "/admin/api-keys", "/admin/audit-logs", "/orgs/acme/audit-logs"]) {
    await page.goto(path, { timeout: 120_000, waitUntil: "networkidle" });
  }
  await page.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

test("a customer owner sees no Admin link and gets 404 from the console and the schema API", async ({ page }) => {
  await signIn(page, "owner@acme.test");
  // The header has rendered (its own links are there) before a link missing from it means anything.
  await expect(page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  const response = await page.goto("/admin/schemas");
  expect(response?.status()).toBe(404);
  expect((await page.request.get("/api/v1/schemas")).status()).toBe(404);
});

test("a vendor admin creates an action schema with a metadata column that shows in acme's viewer", async ({ page, request }) => {
  test.setTimeout(240_000);
  const action = `project.archived_${Date.now().toString(36)}`;
  await signIn(page, "admin@vendor.test");
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin\/organizations/);
  await expect(page.locator('[data-testid="organization-row"][data-slug="acme"]')).toBeVisible();
  await shot(page, "console-organizations");

  await page.getByRole("link", { name: "Event schemas" }).click();
  await expect(page.getByTestId("schemas-table")).toBeVisible();
  await shot(page, "console-schemas");

  // Other work in the same tree can hot-reload the dev server mid-form, so the form is retried from a fresh page.
  await expect(async () => {
    await page.goto("/admin/schemas/new", { waitUntil: "networkidle" });
    await page.getByLabel("Action", { exact: true }).fill(action);
    await page.getByLabel("Allowed target types").fill("project");
    const metadata = page.getByTestId("metadata-schema");
    await metadata.getByRole("button", { name: "Add key" }).click();
    await metadata.getByLabel("Event metadata key 1").fill("reason", { timeout: 3_000 });
    await metadata.getByLabel("required").check();
    await page.getByLabel("Column reason").check();
    await page.getByLabel("Label").fill("Project archived");
    await page.getByLabel("Severity").selectOption("medium");
    await page.getByRole("button", { name: "Check recent events" }).click();
    await expect(page.getByTestId("schema-preview")).toContainText("No events of this action yet", { timeout: 10_000 });
    await shot(page, "console-schema-editor");
    await page.getByRole("button", { name: "Create action" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/schemas/${action.replace(".", "\\.")}$`), { timeout: 15_000 });
  }).toPass({ timeout: 120_000 });
  await expect(page.getByTestId("schema-version")).toContainText("Version 1");
  await shot(page, "console-schema-detail");

  const refused = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: { organization_id: "acme", event: { action, occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_e2e" }, targets: [{ type: "project", id: "p_1" }], metadata: {} } },
  });
  expect(refused.status()).toBe(422);
  const accepted = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: {
      organization_id: "acme",
      event: { action, occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_e2e", name: "Console Robot" }, targets: [{ type: "project", id: "p_1", name: "Apollo" }], metadata: { reason: "sunset-e2e" } },
    },
  });
  expect(accepted.status()).toBe(201);

  await page.getByRole("link", { name: "Audit log" }).last().click();
  await expect(page.getByText("orgtrail.schema.action_created").first()).toBeVisible();
  await shot(page, "console-audit-log");
  await signOut(page);

  await signIn(page, "owner@acme.test");
  const row = page.getByTestId("event-row").filter({ hasText: action });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Reason");
  await expect(row).toContainText("sunset-e2e");
  await shot(page, "console-column-in-acme-viewer");

  // The same column in the owner's CSV export of that action.
  const csv = await page.request.get(`/api/v1/orgs/acme/events/export.csv?q=${encodeURIComponent(`action:${action}`)}`);
  expect(csv.status()).toBe(200);
  const parsed = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true });
  expect(parsed.meta.fields).toContain("reason");
  expect(parsed.data).toHaveLength(1);
  expect(parsed.data[0]).toMatchObject({ action, reason: "sunset-e2e", actor_name: "Console Robot", target_names: "Apollo" });
});

test("a vendor admin creates a vendor key, sees the secret once, and revokes it", async ({ page, request }) => {
  const name = `E2E key ${Date.now().toString(36)}`;
  await signIn(page, "admin@vendor.test");
  await page.goto("/admin/api-keys", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel(/schemas:write/).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  expect(secret).toMatch(/^ot_/);
  await shot(page, "console-api-key-created");
  await page.getByRole("button", { name: "Done" }).click();
  expect((await request.get("/api/v1/schemas", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);

  const row = page.getByTestId("vendor-key-row").filter({ hasText: name });
  // The row is there, showing the key's prefix, before it is checked for the whole secret.
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).not.toContainText(secret);
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  expect((await request.get("/api/v1/schemas", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
  await shot(page, "console-api-keys");
});

test("a vendor admin creates an organization and invites its first owner", async ({ page }) => {
  const slug = `e2e-${Date.now().toString(36)}`;
  await signIn(page, "admin@vendor.test");
  await page.goto("/admin/organizations", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: "New organization" }).click();
  await page.getByLabel("Name").fill(`Initech ${slug}`);
  await page.getByLabel("Slug").fill(slug);
  await page.getByRole("button", { name: "Create organization" }).click();
  const row = page.locator(`[data-testid="organization-row"][data-slug="${slug}"]`);
  await expect(row).toContainText("no owner");
  await row.getByRole("button", { name: "Invite owner" }).click();
  await page.getByLabel("Email").fill(`owner@${slug}.test`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.getByTestId("invite-link")).toHaveValue(/\/invite\//);
  await shot(page, "console-invite-link");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(row).toContainText("1 pending invite");

  await page.getByRole("button", { name: "New organization" }).click();
  await page.getByLabel("Name").fill("Acme again");
  await page.getByLabel("Slug").fill("acme");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByTestId("form-error")).toContainText("already used");

  await page.emulateMedia({ colorScheme: "dark" });
  await page.keyboard.press("Escape");
  await shot(page, "console-organizations-dark");
});
