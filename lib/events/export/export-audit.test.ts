import { createHash } from "node:crypto";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { withFailingWrites } from "@/db/testing/app-event-assertions";
import { createKey, createOrg, event, exportSessions } from "@/db/testing/fixtures";
import { POST as ingest } from "@/app/api/v1/events/route";
import { GET as exportCsv } from "@/app/api/v1/orgs/[org]/events/export.csv/route";
import { GET as exportNdjson } from "@/app/api/v1/orgs/[org]/events/export.ndjson/route";
import { POST as postExport } from "@/app/api/v1/orgs/[org]/exports/route";
import { GET as getExport } from "@/app/api/v1/orgs/[org]/exports/[id]/route";
import { GET as downloadRoute } from "@/app/api/v1/orgs/[org]/exports/[id]/download/route";
import { metadataTextPrefix } from "./audit";
import { runExportJob } from "./jobs";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(route: Route, secret: string, url: string, params: Record<string, string>, init: RequestInit = {}) {
  return route(new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${secret}`, ...init.headers } }), { params: Promise.resolve(params) });
}

async function exportingOrg(events = 3) {
  const org = await createOrg("aud");
  const { secret } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
  const response = await ingest(
    new Request("http://localhost/api/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ events: Array.from({ length: events }, (_, i) => event({ metadata: { i } })) }),
    }),
    undefined,
  );
  expect(response.status).toBe(201);
  const ids = (await sql()<{ id: string }[]>`select id from audit_events where organization_id = ${org.id} order by seq`).map((r) => r.id);
  return { org, secret, ids };
}

const exportedEvents = (organizationId: string) =>
  sql()<{ metadata: Record<string, unknown> }[]>`select metadata from audit_events where organization_id = ${organizationId} and action = 'orgtrail.audit_log.exported' order by seq`;

/** A valid query (every event but Orgtrail's own) whose 500th UTF-16 unit is the first half of an emoji: the old `slice(0, 500)` split it. */
const SPLIT_QUERY = `-actor:${"z".repeat(492)}😀 -action:orgtrail.*`;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("the exported event is written before the first byte, whatever the query", () => {
  it("a query whose 500-unit cut splits a surrogate pair is recorded (prefix by code points, with its SHA-256) before any data, and the CSV and NDJSON are complete", async () => {
    expect(SPLIT_QUERY.slice(0, 500).isWellFormed()).toBe(false);
    const { org, secret, ids } = await exportingOrg();
    const path = `?${new URLSearchParams({ q: SPLIT_QUERY })}`;

    const csv = await call(exportCsv, secret, `/api/v1/orgs/${org.slug}/events/export.csv${path}`, { org: org.slug });
    expect(csv.status).toBe(200);
    // Nothing of the body has been read yet, and the event is already there.
    const [recorded] = await exportedEvents(org.id);
    expect(recorded?.metadata).toMatchObject({ format: "csv", delivery: "download", rows: 3, q: SPLIT_QUERY.slice(0, 499), q_sha256: sha256(SPLIT_QUERY), q_truncated: true });
    const [, ...rows] = Papa.parse<string[]>((await csv.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    // Newest first, the export's default order.
    expect(rows.map((r) => r[0])).toEqual([...ids].reverse());

    const ndjson = await call(exportNdjson, secret, `/api/v1/orgs/${org.slug}/events/export.ndjson${path}`, { org: org.slug });
    expect(ndjson.status).toBe(200);
    expect(await exportedEvents(org.id)).toHaveLength(2);
    const lines = (await ndjson.text()).trimEnd().split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
    expect(lines).toEqual([...ids].reverse());
  });

  it("an export job with such a query finishes, and its event keeps a well-formed prefix and the hash", async () => {
    const { org, secret } = await exportingOrg();
    const created = await call(postExport, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug }, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ q: SPLIT_QUERY, format: "ndjson" }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await runExportJob({ organizationId: org.id, exportId: id }, { id: 0, attempts: 1, heartbeat: async () => {} });
    const status = (await (await call(getExport, secret, `/api/v1/orgs/${org.slug}/exports/${id}`, { org: org.slug, id })).json()) as { state: string; rows_done: number };
    expect(status).toMatchObject({ state: "ready", rows_done: 3 });
    const [recorded] = await exportedEvents(org.id);
    expect(recorded?.metadata).toMatchObject({ delivery: "job", export_id: id, rows: 3, q: SPLIT_QUERY.slice(0, 499), q_sha256: sha256(SPLIT_QUERY) });
  });

  it.each([
    ["csv", exportCsv],
    ["ndjson", exportNdjson],
  ] as const)("when the %s export's event cannot be written, the caller gets a 503 error JSON and no row", async (format, route) => {
    const { org, secret, ids } = await exportingOrg();
    const download = () => call(route, secret, `/api/v1/orgs/${org.slug}/events/export.${format}`, { org: org.slug });
    // Three refusals, one more than a caller's slots: each gives its slot back.
    const [response, ...others] = await withFailingWrites("audit_events", "insert", org.id, async () => [await download(), await download(), await download()]);
    expect(others.map((r) => r.status)).toEqual([503, 503]);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "unavailable" } });
    for (const id of ids) expect(text).not.toContain(id);
    expect(await exportedEvents(org.id)).toEqual([]);
    expect(await exportSessions()).toEqual([]);
    const allowed = await download();
    expect(allowed.status).toBe(200);
    await allowed.body!.cancel();
  });

  it("when a job file's download cannot be recorded, the file is not sent", async () => {
    const { org, secret, ids } = await exportingOrg();
    const created = await call(postExport, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug }, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ format: "csv" }) });
    const { id } = (await created.json()) as { id: string };
    await runExportJob({ organizationId: org.id, exportId: id }, { id: 0, attempts: 1, heartbeat: async () => {} });
    const { download_url } = (await (await call(getExport, secret, `/api/v1/orgs/${org.slug}/exports/${id}`, { org: org.slug, id })).json()) as { download_url: string };
    const link = new URL(download_url, "http://localhost");
    const refused = await withFailingWrites("audit_events", "insert", org.id, () => call(downloadRoute, secret, link.pathname + link.search, { org: org.slug, id }));
    expect(refused.status).toBe(503);
    const text = await refused.text();
    for (const eventId of ids) expect(text).not.toContain(eventId);
    const downloaded = await sql()`select 1 from audit_events where organization_id = ${org.id} and action = 'orgtrail.audit_log.export_downloaded'`;
    expect(downloaded).toHaveLength(0);
  });
});

describe("metadataTextPrefix", () => {
  it("keeps whole code points within 500 UTF-16 units and drops NUL and lone surrogates", () => {
    expect(metadataTextPrefix(`${"a".repeat(499)}😀b`)).toBe("a".repeat(499));
    expect(metadataTextPrefix(`${"a".repeat(498)}😀b`)).toBe(`${"a".repeat(498)}😀`);
    expect(metadataTextPrefix("a\u0000b\ud800c\udc00d")).toBe("abcd");
    const long = "é😀".repeat(400);
    const prefix = metadataTextPrefix(long);
    expect(prefix.isWellFormed()).toBe(true);
    expect(prefix.length).toBeLessThanOrEqual(500);
    expect(long.startsWith(prefix)).toBe(true);
  });
});
