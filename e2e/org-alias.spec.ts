import { expect, test } from "@playwright/test";
import { createOrganizationInConsole, DEMO_VENDOR_KEY, signIn } from "./helpers";

const vendorKey = { authorization: `Bearer ${DEMO_VENDOR_KEY}` };

test("a vendor admin gives an organization its WorkOS id in the console; events sent to that id land in it", async ({ page, request }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36);
  const slug = `alias-${run}`;
  const name = `Umbrella ${run}`;
  const alias = `org_01E2E${run.toUpperCase()}`;
  await signIn(page, "admin@vendor.test");
  const row = await createOrganizationInConsole(page, name, slug);

  const field = page.getByRole("dialog").getByLabel(/^WorkOS organization ID/);
  await row.getByRole("button", { name: `WorkOS organization ID of ${name}` }).click();
  await expect(page.getByText("Events and API calls may name this organization by this id (org_…)")).toBeVisible();
  await field.fill("workos-123");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("form-error")).toContainText("not valid");
  await field.fill(alias);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(row.getByTestId("organization-alias")).toHaveText(alias);
  await page.screenshot({ path: "test-results/screenshots/console-organization-alias.png", fullPage: true });

  const sent = await request.post("/api/v1/events", {
    headers: vendorKey,
    data: { organization_id: alias, event: { action: "invoice.paid", occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_alias", name: "Alias Robot" }, targets: [], metadata: { run } } },
  });
  expect(sent.status(), await sent.text()).toBe(201);
  const [{ id }] = ((await sent.json()) as { data: { id: string }[] }).data;
  for (const ref of [slug, alias]) {
    const found = await request.get(`/api/v1/orgs/${ref}/events?limit=10`, { headers: vendorKey });
    expect(found.status()).toBe(200);
    expect(((await found.json()) as { data: { id: string; organization_id: string }[] }).data.map((e) => e.id)).toEqual([id]);
  }

  // Cleared in the console: the id names nothing any more.
  await row.getByRole("button", { name: `WorkOS organization ID of ${name}` }).click();
  await field.fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(row.getByTestId("organization-alias")).toHaveCount(0);
  expect((await request.get(`/api/v1/orgs/${alias}/events?limit=1`, { headers: vendorKey })).status()).toBe(404);
});
