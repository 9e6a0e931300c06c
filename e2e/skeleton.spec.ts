import { expect, test } from "@playwright/test";
import { DEMO_VENDOR_KEY, signIn, signOut } from "./helpers";

test("an unauthenticated visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/orgs/acme/audit-logs");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to your audit log" })).toBeVisible();
});

test("a wrong password shows a clear message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("owner@acme.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toContainText("don't match an account");
  await expect(page).toHaveURL(/\/login/);
  const response = await page.request.get("/api/v1/orgs/acme/events");
  expect(response.status()).toBe(401);
});

test("the acme owner signs in and sees the seeded log", async ({ page }) => {
  await signIn(page, "owner@acme.test");
  await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs/);
  const rows = page.getByTestId("event-row");
  await expect(rows.first()).toBeVisible();
  // The table is virtualized: only the rows on screen are in the page.
  expect(await rows.count()).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: "test-results/screenshots/viewer-owner.png", fullPage: false });
  await signOut(page);
});

test("an event ingested with the API key appears in the viewer", async ({ page, request }) => {
  const marker = `e2e-${Date.now()}`;
  const response = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: {
      organization_id: "acme",
      event: {
        action: "document.shared",
        occurred_at: new Date().toISOString(),
        actor: { type: "user", id: "u_e2e", name: `Robot ${marker}` },
        targets: [{ type: "document", id: "doc_e2e", name: "E2E plan" }],
        context: { location: "203.0.113.99", user_agent: "playwright" },
        metadata: { shared_with: "qa@acme.test" },
      },
    },
  });
  expect(response.status()).toBe(201);
  const body = await response.json();
  expect(body.data).toHaveLength(1);
  expect(body.data[0].seq).toBeGreaterThan(0);

  await signIn(page, "admin@acme.test");
  await expect(page.getByTestId("event-row").filter({ hasText: `Robot ${marker}` })).toBeVisible();
  await page.getByTestId("event-row").filter({ hasText: `Robot ${marker}` }).click();
  await expect(page.getByTestId("event-panel")).toContainText("203.0.113.99");
  await page.getByTestId("permalink").click();
  await expect(page).toHaveURL(new RegExp(`/orgs/acme/audit-logs/${body.data[0].id}$`));
  await expect(page.getByTestId("event-detail")).toContainText("203.0.113.99");
});

test("a member sees only events that name them", async ({ page }) => {
  await signIn(page, "member@acme.test");
  await expect(page.getByTestId("own-events-notice")).toBeVisible();
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  const response = await page.request.get("/api/v1/orgs/acme/events?limit=1000");
  expect(response.status()).toBe(200);
  const { data } = (await response.json()) as { data: { actor: { id: string }; targets: { id: string }[] }[] };
  expect(data.length).toBeGreaterThan(0);
  for (const event of data) {
    const named = event.actor.id === "u_acme_member" || event.targets.some((t) => t.id === "u_acme_member");
    expect(named).toBe(true);
  }
});

test("an acme user gets 404 for globex, by API and by page", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  const api = await page.request.get("/api/v1/orgs/globex/events");
  expect(api.status()).toBe(404);
  expect((await api.json()).error.code).toBe("not_found");
  const pageResponse = await page.goto("/orgs/globex/audit-logs");
  expect(pageResponse?.status()).toBe(404);
});

test("API errors are JSON: bad key 401, malformed JSON 400, wrong method 405 with Allow", async ({ request }) => {
  const badKey = await request.get("/api/v1/orgs/acme/events", { headers: { authorization: "Bearer ot_not_a_key" } });
  expect(badKey.status()).toBe(401);
  expect((await badKey.json()).error.code).toBe("unauthorized");
  const malformed = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}`, "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.code).toBe("invalid_json");
  for (const [method, path, allow] of [
    ["GET", "/api/v1/events", "POST"],
    ["DELETE", "/api/v1/orgs/acme/events", "GET"],
    ["PUT", "/api/v1/orgs/acme/exports", "GET, POST"],
    ["PATCH", "/api/v1/health", "GET"],
  ] as const) {
    const response = await request.fetch(path, { method, headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` } });
    expect(response.status(), `${method} ${path}`).toBe(405);
    expect(response.headers()["allow"]).toBe(allow);
    expect((await response.json()).error.code).toBe("method_not_allowed");
  }
});
