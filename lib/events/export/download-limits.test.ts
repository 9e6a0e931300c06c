import Papa from "papaparse";
import { afterEach, describe, expect, it } from "vitest";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { POST as ingest } from "@/app/api/v1/events/route";
import { GET as exportCsv } from "@/app/api/v1/orgs/[org]/events/export.csv/route";
import { GET as exportNdjson } from "@/app/api/v1/orgs/[org]/events/export.ndjson/route";
import { MAX_STREAMING_DOWNLOADS, MAX_STREAMING_DOWNLOADS_PER_CALLER, MAX_STREAMING_DOWNLOADS_PER_ORG } from "./download-limits";

type Org = { id: string; slug: string };

/** Downloads left open by a test, ended after it so the next starts with every slot free. */
const open: Response[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => (r.bodyUsed ? undefined : r.body?.cancel())));
});

async function orgWithEvent(): Promise<Org> {
  const org = await createOrg("lim");
  const { secret } = await createKey(org.id, ["events:write"]);
  const response = await ingest(
    new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ event: event() }) }),
    undefined,
  );
  expect(response.status).toBe(201);
  return org;
}

const exporterOf = async (org: Org) => (await createKey(org.id, ["events:read", "exports:write"])).secret;

/** Starts a download and leaves it open (unread), as a slow client would. */
async function download(org: Org, secret: string, format: "csv" | "ndjson" = "csv"): Promise<Response> {
  const route = format === "csv" ? exportCsv : exportNdjson;
  const response = await route(new Request(`http://localhost/api/v1/orgs/${org.slug}/events/export.${format}`, { headers: { authorization: `Bearer ${secret}` } }), {
    params: Promise.resolve({ org: org.slug }),
  });
  if (response.status === 200) open.push(response);
  return response;
}

async function expectRefused(response: Response, message: RegExp) {
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe("10");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("rate_limited");
  expect(body.error.message).toMatch(message);
}

describe("direct download slots: per caller, per organization and per process", () => {
  it("one organization's slow downloads cannot take every slot: another organization still downloads", async () => {
    const busy = await orgWithEvent();
    const callers = await Promise.all(Array.from({ length: 4 }, () => exporterOf(busy)));
    const statuses: number[] = [];
    for (const secret of callers) statuses.push((await download(busy, secret)).status, (await download(busy, secret, "ndjson")).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(MAX_STREAMING_DOWNLOADS_PER_ORG);
    await expectRefused(await download(busy, callers[3]!), /organization is already downloading/);

    const other = await orgWithEvent();
    const response = await download(other, await exporterOf(other));
    expect(response.status).toBe(200);
    const rows = Papa.parse<string[]>((await response.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(2);
  });

  it("a caller over its own limit gets 429 with Retry-After, and a slot back once one of its downloads ends", async () => {
    const org = await orgWithEvent();
    const secret = await exporterOf(org);
    for (let i = 0; i < MAX_STREAMING_DOWNLOADS_PER_CALLER; i++) expect((await download(org, secret, i % 2 ? "ndjson" : "csv")).status).toBe(200);
    await expectRefused(await download(org, secret), /You are already downloading/);
    // Another caller of the same organization is not held back by it.
    expect((await download(org, await exporterOf(org))).status).toBe(200);

    await open.shift()!.body!.cancel();
    expect((await download(org, secret)).status).toBe(200);
  });

  it(`the process streams at most ${MAX_STREAMING_DOWNLOADS} downloads at once, across organizations`, async () => {
    const orgs = await Promise.all(Array.from({ length: MAX_STREAMING_DOWNLOADS / MAX_STREAMING_DOWNLOADS_PER_CALLER + 1 }, orgWithEvent));
    for (const org of orgs.slice(0, -1)) {
      const secret = await exporterOf(org);
      for (let i = 0; i < MAX_STREAMING_DOWNLOADS_PER_CALLER; i++) expect((await download(org, secret)).status).toBe(200);
    }
    const last = orgs.at(-1)!;
    await expectRefused(await download(last, await exporterOf(last)), /Too many exports are downloading from this server/);
    await open.pop()!.body!.cancel();
    expect((await download(last, await exporterOf(last))).status).toBe(200);
  });
});
