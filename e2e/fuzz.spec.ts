import { expect, test } from "@playwright/test";
import { fuzzCases } from "../db/testing/fuzz-cases";
import { DEMO_VENDOR_KEY } from "./helpers";

const auth = { authorization: `Bearer ${DEMO_VENDOR_KEY}` };

test("400 hostile requests: no 5xx, no stack trace, writes refused, nothing stored", async ({ request }) => {
  test.setTimeout(180_000);
  // No retention purge runs in the e2e database, so the chain's length is its last seq.
  const lastSeq = ((await (await request.get("/api/v1/orgs/acme/verify", { headers: auth })).json()) as { checked: number }).checked;
  const page = (await (await request.get("/api/v1/orgs/acme/events?limit=1", { headers: auth })).json()) as { data: { id: string; organization_id: string }[] };
  const cases = fuzzCases({ org: "acme", orgId: page.data[0]!.organization_id, otherOrg: "globex", eventId: page.data[0]!.id, apiKey: DEMO_VENDOR_KEY }, 400, 7);
  const failures: string[] = [];
  for (const c of cases) {
    const response = await request.fetch(c.path, { method: c.method, headers: c.headers, data: c.body, failOnStatusCode: false, maxRedirects: 0 });
    const status = response.status();
    const text = await response.text();
    const isWrite = c.method !== "GET";
    if (status >= 500) failures.push(`${c.name}: ${status}`);
    else if (isWrite && status < 400) failures.push(`${c.name}: write accepted with ${status}`);
    else if (status >= 400 && !/^\{"error":\{"code":"[a-z_]+","message":/.test(text) && status !== 405) failures.push(`${c.name}: ${status} without the error JSON: ${text.slice(0, 80)}`);
    if (/\bat [^\s]+\.(ts|js|tsx):\d+/.test(text)) failures.push(`${c.name}: stack trace in body`);
  }
  expect(failures).toEqual([]);
  const verify = (await (await request.get("/api/v1/orgs/acme/verify", { headers: auth })).json()) as { ok: boolean };
  expect(verify.ok).toBe(true);
  // The only events written meanwhile are the audit records of exports whose odd filter was still valid.
  const since = (await (await request.get(`/api/v1/orgs/acme/events?after_seq=${lastSeq}&limit=1000`, { headers: auth })).json()) as { data: { action: string }[] };
  expect(since.data.filter((e) => e.action !== "orgtrail.audit_log.exported")).toEqual([]);
});
