/**
 * npm run bench:reliability — hostile input, load and faults, with figures.
 * Runs `next start` of the build in NEXT_DIST_DIR (default .next: `npm run build`
 * first) on BENCH_PORT (default 4340, and the two ports above it) against its own
 * embedded PostgreSQL (so the database can be restarted under load without
 * touching anything else): a fresh data directory under .data-bench-reliability/,
 * removed at the end unless BENCH_KEEP_DB=1, on BENCH_PG_PORT or a free port.
 * With BENCH_DATABASE_URL (a database to fill with the demo data) it runs there
 * instead, and the `db` part, which restarts the server, is skipped.
 *
 *   fuzz   ≥ 2,000 malformed or hostile requests across every API route
 *   soak   SOAK_SECONDS (default 600) of steady ingest + searches + exports; p99 and RSS per minute
 *   db     the database restarted under load: 503 + Retry-After meanwhile, no acknowledged event lost
 *   kill   the server killed during an async export; the job completes correctly after restart
 */
import { readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { seed } from "../scripts/seed";
import { fuzzCases } from "../db/testing/fuzz-cases";
import { benchPort, freePort, keepDatabase, percentile, startServer, uniqueName, type Server } from "./lib/server";

const KEY = "ot_demo_vendor_key_0000000000000000";
const auth = { authorization: `Bearer ${KEY}` };
const json = { ...auth, "content-type": "application/json" };
const PORT = benchPort(4340);
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const FUZZ_COUNT = Number(process.env.FUZZ_COUNT ?? 2400);
const dataDir = path.resolve(".data-bench-reliability", uniqueName("run"));
// BENCH_PARTS=fuzz,soak,db,kill (default all) runs a subset.
const PARTS = new Set((process.env.BENCH_PARTS ?? "fuzz,soak,db,kill").split(","));

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(line?.replace(/\D/g, "") ?? 0) / 1024);
};

const event = (i: number) => ({
  action: "document.shared",
  occurred_at: new Date().toISOString(),
  actor: { type: "user", id: `u_${i % 300}`, name: "Soak User" },
  targets: [{ type: "document", id: `doc_${i % 1000}`, name: "Plan" }],
  context: { location: "198.51.100.7", user_agent: "soak" },
  metadata: { shared_with: "x@acme.test" },
});

async function timed(fn: () => Promise<Response>): Promise<{ ms: number; status: number; response?: Response }> {
  const started = performance.now();
  try {
    const response = await fn();
    return { ms: performance.now() - started, status: response.status, response };
  } catch {
    return { ms: performance.now() - started, status: 0 };
  }
}

async function fuzz(server: Server) {
  const first = (await (await fetch(`${server.url}/api/v1/orgs/acme/events?limit=1`, { headers: auth })).json()) as { data: { id: string; organization_id: string }[] };
  const before = (await (await fetch(`${server.url}/api/v1/orgs/acme/verify`, { headers: auth })).json()) as { checked: number };
  const rssStart = rssMb(server.process.pid!);
  const cases = fuzzCases({ org: "acme", orgId: first.data[0]!.organization_id, otherOrg: "globex", eventId: first.data[0]!.id, apiKey: KEY }, FUZZ_COUNT, 42);
  let fiveHundreds = 0;
  let stackTraces = 0;
  let writesAccepted = 0;
  const statuses = new Map<number, number>();
  for (const c of cases) {
    const result = await timed(() => fetch(`${server.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body as BodyInit | undefined, redirect: "manual" }));
    statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
    const text = (await result.response?.text().catch(() => "")) ?? "";
    if (result.status >= 500 || result.status === 0) {
      fiveHundreds += 1;
      console.log(`  5xx: ${c.name} → ${result.status} ${text.slice(0, 120)}`);
    }
    if (/\bat [^\s]+\.(ts|js|tsx):\d+/.test(text)) stackTraces += 1;
    if (c.method !== "GET" && result.status > 0 && result.status < 400) writesAccepted += 1;
  }
  const after = (await (await fetch(`${server.url}/api/v1/orgs/acme/events?after_seq=${before.checked}&limit=1000`, { headers: auth })).json()) as { data: { action: string }[] };
  const strayWrites = after.data.filter((e) => e.action !== "orgtrail.audit_log.exported").length;
  return { tried: cases.length, fiveHundreds, stackTraces, writesAccepted, strayWrites, rssStart, rssEnd: rssMb(server.process.pid!), statuses: Object.fromEntries(statuses) };
}

async function soak(server: Server) {
  const deadline = Date.now() + SOAK_SECONDS * 1000;
  const samples = { ingest: [] as number[], search: [] as number[], export: [] as number[] };
  const perMinute: { minute: number; rssMb: number; ingestP99: number; searchP99: number; errors: number }[] = [];
  let errors = 0;
  let acked = 0;
  const minuteSamples = { ingest: [] as number[], search: [] as number[] };
  const ingestLoop = async (worker: number) => {
    for (let i = 0; Date.now() < deadline; i++) {
      const r = await timed(() => fetch(`${server.url}/api/v1/events`, { method: "POST", headers: json, body: JSON.stringify({ organization_id: "acme", event: event(worker * 1e6 + i) }) }));
      await r.response?.arrayBuffer();
      if (r.status === 201) acked += 1;
      else errors += 1;
      samples.ingest.push(r.ms);
      minuteSamples.ingest.push(r.ms);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  };
  const queries = ["", "action:document.*", "actor:u_12", "-action:user.signed_in", "\"plan\"", "occurred:>24h target:document"];
  const searchLoop = async () => {
    for (let i = 0; Date.now() < deadline; i++) {
      const q = encodeURIComponent(queries[i % queries.length]!);
      const r = await timed(() => fetch(`${server.url}/api/v1/orgs/acme/events?limit=100&q=${q}`, { headers: auth }));
      await r.response?.arrayBuffer();
      if (r.status !== 200) errors += 1;
      samples.search.push(r.ms);
      minuteSamples.search.push(r.ms);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const exportLoop = async () => {
    while (Date.now() < deadline) {
      const r = await timed(() => fetch(`${server.url}/api/v1/orgs/acme/events/export.csv?q=${encodeURIComponent("occurred:>7d")}`, { headers: auth }));
      await r.response?.arrayBuffer();
      if (r.status !== 200) errors += 1;
      samples.export.push(r.ms);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  };
  const monitor = async () => {
    for (let minute = 1; Date.now() < deadline; minute++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, Math.max(0, deadline - Date.now()))));
      const sort = (a: number[]) => [...a].sort((x, y) => x - y);
      perMinute.push({ minute, rssMb: rssMb(server.process.pid!), ingestP99: Math.round(percentile(sort(minuteSamples.ingest), 99)), searchP99: Math.round(percentile(sort(minuteSamples.search), 99)), errors });
      minuteSamples.ingest = [];
      minuteSamples.search = [];
    }
  };
  const rssStart = rssMb(server.process.pid!);
  await Promise.all([...Array.from({ length: 8 }, (_, w) => ingestLoop(w)), searchLoop(), searchLoop(), exportLoop(), monitor()]);
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  return {
    seconds: SOAK_SECONDS,
    acked,
    errors,
    ingestP50: Math.round(percentile(sort(samples.ingest), 50)),
    ingestP99: Math.round(percentile(sort(samples.ingest), 99)),
    searchP99: Math.round(percentile(sort(samples.search), 99)),
    exportP99: Math.round(percentile(sort(samples.export), 99)),
    rssStart,
    rssEnd: rssMb(server.process.pid!),
    perMinute,
  };
}

async function databaseRestart(server: Server, db: { current: EmbeddedServer; port: number }) {
  const acked: string[] = [];
  const statuses = new Map<number, number>();
  let retryAfterMissing = 0;
  let stop = false;
  const client = async (c: number) => {
    for (let i = 0; !stop; i++) {
      const r = await timed(() => fetch(`${server.url}/api/v1/events`, { method: "POST", headers: json, body: JSON.stringify({ organization_id: "acme", event: event(c * 1e6 + i) }) }));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 201) acked.push(...((await r.response!.json()) as { data: { id: string }[] }).data.map((d) => d.id));
      else {
        if (r.status === 503 && !r.response?.headers.get("retry-after")) retryAfterMissing += 1;
        await r.response?.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const clients = Array.from({ length: 10 }, (_, c) => client(c));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await db.current.stop();
  await new Promise((resolve) => setTimeout(resolve, 4000));
  db.current = await startEmbeddedPostgres(path.join(dataDir, "pg"), db.port);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  stop = true;
  await Promise.all(clients);
  const sql = postgres(db.current.url, { max: 1, onnotice: () => {} });
  const stored = await sql<{ n: string }[]>`select count(distinct id) as n from audit_events where id = any(${acked})`;
  await sql.end();
  const verify = (await (await fetch(`${server.url}/api/v1/orgs/acme/verify`, { headers: auth })).json()) as { ok: boolean };
  return { acked: acked.length, lost: acked.length - Number(stored[0]!.n), statuses: Object.fromEntries(statuses), retryAfterMissing, verifyOk: verify.ok };
}

async function killDuringExport(databaseUrl: string, server: Server) {
  const created = await fetch(`${server.url}/api/v1/orgs/acme/exports`, { method: "POST", headers: json, body: JSON.stringify({ q: "", format: "csv" }) });
  if (created.status !== 202) return { ok: false, note: `POST exports → ${created.status}` };
  const { id } = (await created.json()) as { id: string };
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.process.kill("SIGKILL");
  const restarted = await startServer(databaseUrl, PORT + 2);
  let state = "";
  let body: Record<string, unknown> = {};
  for (let i = 0; i < 240 && state !== "ready" && state !== "failed"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    body = (await (await fetch(`${restarted.url}/api/v1/orgs/acme/exports/${id}`, { headers: auth })).json()) as Record<string, unknown>;
    state = String(body.state);
  }
  let rows = -1;
  if (state === "ready" && typeof body.download_url === "string") {
    const file = await fetch(new URL(body.download_url, restarted.url), { headers: auth });
    const text = await file.text();
    rows = text.split("\n").filter((l) => l.trim()).length - 1;
  }
  await restarted.stop();
  return { ok: state === "ready" && rows === Number(body.rows_total), state, rows, rowsTotal: body.rows_total };
}

/** BENCH_DATABASE_URL, or an embedded server of this run's own that the `db` part can restart. */
async function database(): Promise<{ url: string; embedded: { current: EmbeddedServer; port: number } | null; stop: () => Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, embedded: null, stop: async () => {} };
  const port = Number(process.env.BENCH_PG_PORT ?? (await freePort()));
  const embedded = { current: await startEmbeddedPostgres(path.join(dataDir, "pg"), port), port };
  return {
    url: embedded.current.url,
    embedded,
    stop: async () => {
      await embedded.current.stop();
      if (keepDatabase()) console.log(`kept ${dataDir} (BENCH_KEEP_DB=1)`);
      else {
        rmSync(dataDir, { recursive: true, force: true });
        // The shared parent goes too once no run is left in it (another run at the same time keeps it).
        if (readdirSync(path.dirname(dataDir)).length === 0) rmdirSync(path.dirname(dataDir));
      }
    },
  };
}

async function main(): Promise<void> {
  const db = await database();
  let server: Server | null = null;
  try {
    await runMigrations(db.url);
    await seed(db.url, { log: () => {} });
    const env = { ORGTRAIL_EXPORT_DIR: path.join(dataDir, "exports") };
    server = await startServer(db.url, PORT, env);
    console.log(`Reliability run ${new Date().toISOString()}`);
    if (PARTS.has("fuzz")) console.log("fuzz", await fuzz(server));
    if (PARTS.has("soak")) {
      const { perMinute, ...summary } = await soak(server);
      console.table(perMinute);
      console.log("soak", summary);
    }
    if (PARTS.has("db")) {
      if (db.embedded) console.log("database restart", await databaseRestart(server, db.embedded));
      else console.log("database restart: skipped (BENCH_DATABASE_URL is not a server this run may restart)");
    }
    await server.stop();
    if (PARTS.has("kill")) {
      server = await startServer(db.url, PORT + 1, env);
      console.log("kill during export", await killDuringExport(db.url, server));
    }
  } finally {
    await server?.stop();
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
