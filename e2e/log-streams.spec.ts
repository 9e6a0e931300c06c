import { mkdirSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { DEMO_SCOPED_KEYS } from "../scripts/demo-data";
import { signIn } from "./helpers";
import { apiSignIn } from "./session";

/*
 * Log streams in the browser (issue 17): an owner adds a webhook stream that
 * points at a real receiver started here, copies its signing secret from the
 * page, sends a test event and a real one, and each arrives signed (checked
 * with the standardwebhooks package, an independent implementation). Auditors
 * see streams but cannot change them; members get the 404 page. The server
 * runs with ORGTRAIL_STREAMS_ALLOW_PRIVATE=1 (playwright.config.ts) so a
 * receiver on 127.0.0.1 over http may be reached.
 */

const SHOTS = "test-results/screenshots";
const ORG_KEY = DEMO_SCOPED_KEYS.find((k) => k.name === "Demo acme key")!.secret;
const marker = `ls${Date.now().toString(36)}`;
const PROBE_ACTION = "e2e.stream_probe";

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
let receiver: Server;
let receiverUrl = "";
const created: string[] = [];

function startReceiver(): Promise<string> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      // /down stands for a SIEM that is out: every delivery fails and is retried.
      response.statusCode = request.url?.startsWith("/down") ? 500 : 200;
      response.end(request.url?.startsWith("/down") ? "unavailable" : "ok");
    });
  });
  return new Promise((resolve) => receiver.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`)));
}

/** The events of a request the receiver took, checked against the stream's secret; throws if the signature is wrong. */
function verified(request: Received, secret: string): { id: string; seq: number; action: string; metadata?: Record<string, unknown> }[] {
  const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, String(request.headers[name] ?? "")]));
  return new Webhook(secret).verify(request.body, headers) as { id: string; seq: number; action: string }[];
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function ingestProbe(request: APIRequestContext, run: string): Promise<void> {
  const response = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${ORG_KEY}` },
    data: { organization_id: "acme", event: { action: PROBE_ACTION, occurred_at: new Date().toISOString(), actor: { type: "user", id: "u_e2e_streams", name: "Stream probe" }, targets: [], metadata: { run } } },
  });
  expect(response.status(), await response.text()).toBe(201);
}

const streamName = `SIEM webhook ${marker}`;
let streamId = "";
let secret = "";

test.describe.serial("log streams", () => {
  test.beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    receiverUrl = await startReceiver();
  });

  test.afterAll(async ({ playwright }) => {
    const owner = await playwright.request.newContext({ baseURL: `http://localhost:${process.env.E2E_PORT ?? 3100}` });
    await apiSignIn(owner, "owner@acme.test");
    for (const id of created) await owner.delete(`/api/v1/orgs/acme/log-streams/${id}`);
    await owner.dispose();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test("the add dialog has each destination's fields and shows the server's refusals at the field", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await signIn(page, "owner@acme.test");
    await page.goto("/orgs/acme/settings/log-streams");
    await page.getByRole("button", { name: "Add stream" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByLabel("URL", { exact: true })).toBeVisible();
    await expect(dialog.getByRole("combobox", { name: "Body" })).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Add header" })).toBeVisible();
    await dialog.getByRole("button", { name: "Add header" }).scrollIntoViewIfNeeded();
    await shot(page, "add-dialog-webhook");

    await dialog.getByRole("radio", { name: "Splunk HEC" }).check();
    for (const label of ["HEC URL", "HEC token", "Index (optional)", "Source (optional)", "Sourcetype (optional)"]) await expect(dialog.getByLabel(label, { exact: true })).toBeVisible();
    await dialog.getByLabel("Sourcetype (optional)").scrollIntoViewIfNeeded();
    await shot(page, "add-dialog-splunk");

    await dialog.getByRole("radio", { name: "Datadog logs" }).check();
    for (const label of ["Site", "API key", "Service (optional)", "Tags (optional)", "Intake URL (optional)"]) await expect(dialog.getByLabel(label, { exact: true })).toBeVisible();
    await dialog.getByLabel("Intake URL (optional)").scrollIntoViewIfNeeded();
    await shot(page, "add-dialog-datadog");

    // The server's issues land at their fields: a bad filter and a Datadog tag with a space.
    await dialog.getByLabel("Name").fill("Refused");
    await dialog.getByLabel("Filter (optional)").fill("occurred:7d");
    await dialog.getByLabel("API key", { exact: true }).fill("dd-key-0000");
    await dialog.getByRole("button", { name: "Add stream" }).click();
    await expect(dialog.getByLabel("Filter (optional)")).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByTestId("field-error").first()).toContainText("occurred:");
    await expect(dialog.getByTestId("form-error")).toContainText("correct the marked fields");

    await dialog.getByRole("radio", { name: "HTTPS webhook" }).check();
    await dialog.getByLabel("Filter (optional)").fill("");
    await dialog.getByLabel("URL", { exact: true }).fill("ftp://siem.example.com/in");
    await dialog.getByRole("button", { name: "Add stream" }).click();
    await expect(dialog.getByLabel("URL", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByTestId("field-error")).toContainText("must be a URL like https://");
    await shot(page, "add-dialog-field-error");
  });

  test("an owner adds a webhook stream, copies its secret, and a test event and a real one arrive signed", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, "owner@acme.test");
    await page.goto("/orgs/acme/settings/log-streams");
    await page.getByRole("button", { name: "Add stream" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(streamName);
    await dialog.getByLabel("Filter (optional)").fill(`action:${PROBE_ACTION}`);
    await dialog.getByLabel("URL", { exact: true }).fill(`${receiverUrl}/hook`);
    await dialog.getByRole("button", { name: "Add header" }).click();
    await dialog.getByLabel("Header 1 name").fill("X-Siem-Tenant");
    await dialog.getByLabel("Header 1 value").fill("tenant-e2e");
    await dialog.getByRole("button", { name: "Add stream" }).click();

    const revealed = dialog.getByTestId("stream-secret");
    await expect(revealed).toHaveValue(/^whsec_/);
    secret = await revealed.inputValue();
    await shot(page, "secret-reveal");
    await dialog.getByRole("button", { name: "I've stored it" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId(`stream-${streamName}`);
    await expect(row).toContainText("HTTPS webhook");
    await expect(row).toContainText(`${receiverUrl}/hook`);
    await expect(row).toContainText(`action:${PROBE_ACTION}`);
    await expect(row.getByTestId("stream-state")).toHaveText("Active");
    await shot(page, "list-with-stream");

    await row.getByRole("link", { name: streamName }).click();
    await expect(page).toHaveURL(/\/settings\/log-streams\/[0-9a-f-]{36}$/);
    streamId = page.url().split("/").at(-1)!;
    created.push(streamId);
    // The page shows only the secret's last four characters.
    await expect(page.getByText(`whsec_…${secret.slice(-4)}`)).toBeVisible();
    await expect(page.locator("body")).not.toContainText(secret);

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Test event delivered (HTTP 200");
    const test = received.find((r) => r.body.includes("orgtrail.log_stream.test"));
    expect(test, "the receiver got the test event").toBeTruthy();
    expect(test!.headers["x-siem-tenant"]).toBe("tenant-e2e");
    const [testEvent] = verified(test!, secret);
    expect(testEvent).toMatchObject({ action: "orgtrail.log_stream.test", seq: 0 });
    await expect(page.getByTestId("delivery-row").first()).toContainText("Test");
    await expect(page.getByTestId("delivery-row").first()).toContainText("Delivered");

    // A real event, sent by the vendor's backend with the org's key, reaches the receiver through the stream worker.
    await ingestProbe(page.request, marker);
    let probe: { id: string; seq: number } | undefined;
    await expect
      .poll(
        () => {
          for (const request of received.filter((r) => r.path === "/hook" && r.body.includes(marker))) {
            probe = verified(request, secret).find((e) => e.action === PROBE_ACTION && e.metadata?.run === marker);
          }
          return probe?.seq ?? 0;
        },
        { timeout: 30_000, message: "the probe event reaches the receiver" },
      )
      .toBeGreaterThan(0);
    // The delivery log shows the batch that carried it (the page re-reads itself; reloading is quicker).
    await expect(async () => {
      await page.reload();
      const batch = page.getByTestId("delivery-row").filter({ hasText: "Batch" }).first();
      await expect(batch).toContainText("Delivered", { timeout: 1000 });
      await expect(batch).toContainText(String(probe!.seq), { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("stream-lag")).toHaveText("Up to date", { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await shot(page, "detail-with-delivery-log");
  });

  test("an owner pauses and resumes a stream; events sent meanwhile arrive after resume", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await page.goto(`/orgs/acme/settings/log-streams/${streamId}`);
    await page.getByRole("button", { name: "Pause" }).click();
    await page.getByRole("dialog").getByLabel("Reason (optional)").fill("SIEM maintenance");
    await page.getByRole("dialog").getByRole("button", { name: "Pause stream" }).click();
    await expect(page.getByTestId("stream-state").first()).toHaveText("Paused");
    await expect(page.getByText("Paused by Ada Lovelace: SIEM maintenance")).toBeVisible();

    const run = `${marker}-paused`;
    await ingestProbe(page.request, run);
    await expect(page.getByTestId("stream-lag")).not.toHaveText("Up to date", { timeout: 15_000 });
    await page.reload();
    await expect(page.getByTestId("stream-lag")).not.toHaveText("Up to date");
    expect(received.some((r) => r.body.includes(run)), "nothing is sent while paused").toBe(false);

    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("stream-state").first()).toHaveText(/Active|Retrying/);
    await expect.poll(() => received.some((r) => r.path === "/hook" && r.body.includes(run)), { timeout: 30_000 }).toBe(true);
  });

  test("an auditor sees the stream read-only, and its changes are refused by the server", async ({ page, browser }) => {
    await signIn(page, "auditor@acme.test");
    await page.goto("/orgs/acme/settings");
    await expect(page).toHaveURL(/\/settings\/log-streams$/);
    await expect(page.getByTestId(`stream-${streamName}`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Add stream" })).toHaveCount(0);
    await page.getByRole("link", { name: streamName }).click();
    await expect(page.getByTestId("stream-url")).toContainText(`${receiverUrl}/hook`);
    await expect(page.getByTestId("delivery-row").first()).toBeVisible();
    for (const name of ["Edit", "Send test event", "Pause", "Resume", "Rotate secret", "Replay", "Delete"]) await expect(page.getByRole("button", { name })).toHaveCount(0);
    await shot(page, "detail-as-auditor");

    // The API refuses the auditor's changes…
    expect((await page.request.patch(`/api/v1/orgs/acme/log-streams/${streamId}`, { data: { name: "hijacked" } })).status()).toBe(403);
    expect((await page.request.post(`/api/v1/orgs/acme/log-streams/${streamId}/pause`, { data: {} })).status()).toBe(403);
    expect((await page.request.delete(`/api/v1/orgs/acme/log-streams/${streamId}`)).status()).toBe(403);
    expect((await page.request.get(`/api/v1/orgs/acme/log-streams/${streamId}`)).status()).toBe(200);

    // …and so do the server actions: the owner's page, its session swapped for the auditor's, posts the pause action as the auditor.
    const auditorCookies = await page.context().cookies();
    const ownerContext = await browser.newContext({ baseURL: new URL(page.url()).origin });
    const ownerPage = await ownerContext.newPage();
    await signIn(ownerPage, "owner@acme.test");
    await ownerPage.goto(`/orgs/acme/settings/log-streams/${streamId}`);
    await ownerPage.getByRole("button", { name: "Pause" }).click();
    await ownerContext.clearCookies();
    await ownerContext.addCookies(auditorCookies);
    await ownerPage.getByRole("dialog").getByRole("button", { name: "Pause stream" }).click();
    await expect(ownerPage.getByRole("dialog").getByTestId("form-error")).toContainText("requires the streams.manage permission");
    await ownerContext.close();
    const stream = (await (await page.request.get(`/api/v1/orgs/acme/log-streams/${streamId}`)).json()) as { state: string; name: string };
    expect(stream).toMatchObject({ state: "active", name: streamName });
  });

  test("a member gets the 404 page, and the API refuses them", async ({ page }) => {
    await signIn(page, "member@acme.test");
    expect((await page.goto("/orgs/acme/settings/log-streams"))!.status()).toBe(404);
    expect((await page.goto(`/orgs/acme/settings/log-streams/${streamId}`))!.status()).toBe(404);
    // A member reads some of the organization's events, so the API says "forbidden" rather than pretending it does not exist.
    expect((await page.request.get("/api/v1/orgs/acme/log-streams")).status()).toBe(403);
    expect((await page.request.get(`/api/v1/orgs/acme/log-streams/${streamId}`)).status()).toBe(403);
  });

  test("an owner edits the stream, rotates its secret (both sign for a day), replays it and deletes it", async ({ page }) => {
    await signIn(page, "owner@acme.test");
    await page.goto(`/orgs/acme/settings/log-streams/${streamId}`);

    await page.getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(`${streamName} (renamed)`);
    await dialog.getByRole("radio", { name: /OCSF/ }).check();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { name: `${streamName} (renamed)` })).toBeVisible();
    await expect(page.getByText("OCSF 1.3 API Activity")).toBeVisible();

    await page.getByRole("button", { name: "Rotate secret" }).click();
    await dialog.getByRole("button", { name: "Rotate secret" }).click();
    const revealed = dialog.getByTestId("stream-secret");
    await expect(revealed).toHaveValue(/^whsec_/);
    const rotated = await revealed.inputValue();
    expect(rotated).not.toBe(secret);
    await dialog.getByRole("button", { name: "I've stored it" }).click();
    await expect(page.getByText("Previous signing secret")).toBeVisible();

    const before = received.length;
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Test event delivered");
    const signedTwice = received.slice(before).find((r) => r.body.includes("orgtrail.log_stream.test"))!;
    expect(String(signedTwice.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    // Either secret verifies it: receivers switch over without a gap.
    expect(verified(signedTwice, rotated)).toHaveLength(1);
    expect(verified(signedTwice, secret)).toHaveLength(1);

    // Replay from before the probe: it is sent again, now as OCSF.
    const replayedFrom = received.length;
    await page.getByRole("button", { name: "Replay" }).click();
    await dialog.getByLabel(/From/).fill(new Date(Date.now() - 3600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
    await dialog.getByRole("button", { name: "Replay" }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => received.slice(replayedFrom).some((r) => r.path === "/hook" && r.body.includes(marker) && r.body.includes('"class_uid":6003')), { timeout: 30_000 }).toBe(true);

    await page.getByRole("button", { name: "Delete" }).click();
    await dialog.getByRole("button", { name: "Delete stream" }).click();
    await expect(page).toHaveURL(/\/settings\/log-streams$/);
    await expect(page.getByTestId(`stream-${streamName} (renamed)`)).toHaveCount(0);
    expect((await page.request.get(`/api/v1/orgs/acme/log-streams/${streamId}`)).status()).toBe(404);
  });

  test("owners see a banner while a stream has failed for a day", async ({ page }) => {
    // The test moves the failure run's start a day back in SQL (only the clock is faked), so it needs the server's database:
    // CI and `npm test` with DATABASE_URL give it; against the launcher's embedded database the spec cannot reach it.
    test.skip(!process.env.DATABASE_URL, "moving a failure run a day back needs DATABASE_URL");
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, "owner@acme.test");
    const name = `Splunk-like receiver ${marker}`;
    const response = await page.request.post("/api/v1/orgs/acme/log-streams", {
      data: { name, filter: `action:${PROBE_ACTION}`, destination: { type: "webhook", url: `${receiverUrl}/down` } },
    });
    expect(response.status(), await response.text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    created.push(id);
    await ingestProbe(page.request, `${marker}-down`);
    // A real failure run: the receiver answers 500 and the stream retries.
    await expect.poll(async () => ((await (await page.request.get(`/api/v1/orgs/acme/log-streams/${id}`)).json()) as { retrying: boolean }).retrying, { timeout: 30_000 }).toBe(true);
    // Only the clock is faked: the run is made to have started 25 hours ago, and the next retry reports it.
    const sql = postgres(process.env.DATABASE_URL!, { max: 1 });
    try {
      await sql`update log_streams set failing_since = now() - interval '25 hours' where id = ${id}`;
    } finally {
      await sql.end();
    }
    await expect(async () => {
      await page.goto("/orgs/acme/audit-logs");
      await expect(page.getByTestId("failing-streams-banner")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    const banner = page.getByTestId("failing-streams-banner");
    await expect(banner).toContainText(`Log stream ${name} has failed to deliver since`);
    await expect(banner).toContainText("events are waiting and will be sent when it recovers");
    await shot(page, "failing-banner");
    await banner.getByRole("link", { name: "View stream" }).click();
    await expect(page).toHaveURL(new RegExp(`/settings/log-streams/${id}$`));
    await expect(page.getByTestId("stream-state").first()).toHaveText("Failing");
    await shot(page, "detail-failing");
    await page.goto("/orgs/acme/settings/log-streams");
    await shot(page, "list-with-failing-stream");

    // Auditors are not the ones to fix it: no banner for them.
    await page.context().clearCookies();
    await signIn(page, "auditor@acme.test");
    await expect(page.getByTestId("failing-streams-banner")).toHaveCount(0);
  });
});
