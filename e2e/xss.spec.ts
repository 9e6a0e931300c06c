import { expect, test, type Page } from "@playwright/test";
import { DEMO_VENDOR_KEY, signIn } from "./helpers";

const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>`;

/** Fails the test if any injected script ran: a dialog, or the marker it would set. */
async function expectNoScriptRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
}

test("hostile strings in every field are shown as text in the viewer, the detail panel and the permalink", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const marker = `xss${Date.now()}`;
  const response = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${DEMO_VENDOR_KEY}` },
    data: {
      organization_id: "acme",
      event: {
        action: "document.shared",
        occurred_at: new Date().toISOString(),
        actor: { type: `user${PAYLOAD}`.slice(0, 256), id: `${marker}${PAYLOAD}`.slice(0, 256), name: `${marker} ${PAYLOAD}`, metadata: { email: PAYLOAD.slice(0, 500) } },
        targets: [{ type: "document", id: `doc${PAYLOAD}`.slice(0, 256), name: PAYLOAD, metadata: { note: PAYLOAD } }],
        context: { location: "203.0.113.66", user_agent: PAYLOAD },
        metadata: { shared_with: PAYLOAD, "x-html": "<b>bold</b>" },
      },
    },
  });
  expect(response.status()).toBe(201);
  const id = ((await response.json()) as { data: { id: string }[] }).data[0]!.id;

  await signIn(page, "admin@acme.test");
  await page.goto(`/orgs/acme/audit-logs?q=${encodeURIComponent(`"${marker}"`)}`);
  const row = page.getByTestId("event-row").filter({ hasText: marker });
  await expect(row).toBeVisible();
  await expect(row).toContainText("<img src=x");
  await row.click();
  const panel = page.getByTestId("event-panel");
  await expect(panel).toContainText('<script>window.__xss=1</script>');
  await expect(panel).toContainText("<b>bold</b>");
  await expectNoScriptRan(page);

  await page.goto(`/orgs/acme/audit-logs/${id}`);
  await expect(page.getByTestId("event-detail")).toContainText('onerror="window.__xss=1"');
  await expectNoScriptRan(page);
  expect(dialogs).toEqual([]);
  // Nothing in the page turned the payload into elements.
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});
