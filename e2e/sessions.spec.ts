import { expect, test } from "@playwright/test";
import { DEMO_VENDOR_KEY } from "./helpers";
import { apiSignIn } from "./session";

test("a saved session cookie stops working at sign-out", async ({ playwright, baseURL }) => {
  const browser = await playwright.request.newContext({ baseURL });
  await apiSignIn(browser, "auditor@acme.test");
  expect((await browser.get("/api/v1/orgs/acme/events?limit=1")).status()).toBe(200);
  const saved = await playwright.request.newContext({ baseURL, storageState: await browser.storageState() });

  const { csrfToken } = (await (await browser.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await browser.post("/api/auth/signout", { form: { csrfToken, json: "true" } });

  expect((await saved.get("/api/v1/orgs/acme/events?limit=1")).status()).toBe(401);
  expect((await saved.post("/api/v1/orgs/acme/exports", { data: { format: "csv" }, headers: { origin: baseURL! } })).status()).toBe(401);
  await Promise.all([browser.dispose(), saved.dispose()]);
});

test("a client's own X-Forwarded-For does not set the IP of its sign-in event", async ({ playwright, baseURL }) => {
  const forged = "203.0.113.77";
  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": forged } });
  await apiSignIn(client, "auditor@acme.test");
  await client.dispose();

  const vendor = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${DEMO_VENDOR_KEY}` } });
  const q = encodeURIComponent("action:orgtrail.user.signed_in actor:auditor@acme.test");
  const body = (await (await vendor.get(`/api/v1/orgs/acme/events?q=${q}&limit=1`)).json()) as { data: { context?: { location?: string } }[] };
  await vendor.dispose();
  // The connection's address (the test runs on this machine), not the header's.
  expect(body.data[0]?.context?.location).toMatch(/^(127\.0\.0\.1|::1)$/);
});
