/**
 * npm run bench:export — a streamed CSV export over HTTP beside `psql \copy (select …)
 * to stdout csv` of the same rows, in the same run: rows/s, time to the first byte and
 * to the first event's row, and the server's resident memory (VmRSS of its process
 * tree, sampled every 50 ms)
 * before and at its peak during each export.
 *
 * Where the rows come from:
 *   default                 a fresh database on the local server (dropped at the end unless
 *                           BENCH_KEEP_DB=1), one org seeded with BENCH_SEED_ROWS events by SQL
 *   BENCH_DATABASE_URL      that database, an org seeded there as above (left behind, export-bench-…)
 *   BENCH_DATABASE_URL + BENCH_ORG
 *                           an existing organization (the search benchmark's largest org)
 * Which server:
 *   default                 `next start` of the build in NEXT_DIST_DIR (default .next: `npm run build`
 *                           first) started here on BENCH_PORT (default 4330)
 *   BENCH_URL + BENCH_SERVER_PID
 *                           a server already running against the same database
 * BENCH_SCALES: comma-separated row counts to export (the oldest N of the org), e.g.
 * 100000,1000000,5000000, so memory growth shows against size.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import postgres from "postgres";
import { generateApiKey } from "../lib/auth/api-key-secret";
import { benchDatabase, benchPort, startServer, table, type Server } from "./lib/server";

const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 1_000_000);
const SCALES = (process.env.BENCH_SCALES ?? "100000,1000000").split(",").map(Number);
const PORT = benchPort(4330);

/** Resident memory of a process and all its descendants, in bytes. */
function treeRss(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of tree) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

function sampleRss(pid: number): { stop: () => { before: number; peak: number } } {
  const before = treeRss(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), 50);
  return { stop: () => (clearInterval(timer), { before, peak: Math.max(peak, treeRss(pid)) }) };
}

async function seedOrg(sql: postgres.Sql, rows: number): Promise<{ id: string; slug: string }> {
  // Not "bench-…": those are the search benchmark's organizations (its seeder's --reset deletes them).
  const slug = `export-bench-${randomBytes(3).toString("hex")}`;
  const [org] = await sql<{ id: string }[]>`insert into organizations (slug, name) values (${slug}, 'Export bench') returning id`;
  await sql`
    insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, actor_name,
      actor_metadata, targets, target_ids, target_types, ip, user_agent, metadata, search_text, hash, prev_hash)
    select ${org!.id}, gen_random_uuid(), g, 'document.shared', 1, now() - make_interval(secs => ${rows} - g), now(), 'user', 'u_' || (g % 500), 'Bench User',
      jsonb_build_object('email', 'user' || (g % 500) || '@bench.test'),
      jsonb_build_array(jsonb_build_object('type', 'document', 'id', 'doc_' || (g % 5000), 'name', 'Quarterly plan, "final"')),
      array['doc_' || (g % 5000)], array['document'], '203.0.113.7'::inet, 'Mozilla/5.0 (bench)',
      jsonb_build_object('shared_with', 'finance@bench.test', 'permission', 'view', 'n', g), 'document.shared bench', repeat('0', 64), repeat('0', 64)
    from generate_series(1, ${rows}) g`;
  await sql`insert into event_chains (organization_id, chain_seq) values (${org!.id}, ${rows})`;
  await sql`analyze audit_events`;
  return { id: org!.id, slug };
}

/** The exclusive `to` that cuts the org's oldest `rows` events, and the exact count below it. */
async function cutAt(sql: postgres.Sql, organizationId: string, rows: number): Promise<{ to: string; count: number }> {
  const [row] = await sql<{ to: string }[]>`
    select to_char((occurred_at + interval '1 millisecond') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as to from audit_events
    where organization_id = ${organizationId} order by occurred_at, id offset ${rows - 1} limit 1`;
  if (!row) throw new Error(`the organization has fewer than ${rows} events`);
  const [{ n }] = await sql<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${organizationId} and occurred_at < ${row.to}`;
  return { to: row.to, count: Number(n) };
}

async function httpExport(url: string, key: string, pid: number): Promise<{ seconds: number; firstByteMs: number; firstRowMs: number; rows: number; bytes: number; rss: { before: number; peak: number } }> {
  const memory = sampleRss(pid);
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`export failed: ${response.status} ${await response.text()}`);
  let firstByteMs = 0;
  let firstRowMs = 0;
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!firstByteMs) firstByteMs = performance.now() - started;
    bytes += chunk.byteLength;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    // The header is line 1: the first event's row has arrived once line 2 has ended.
    if (!firstRowMs && lines >= 2) firstRowMs = performance.now() - started;
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, firstByteMs, firstRowMs, rows: lines - 1, bytes, rss: memory.stop() };
}

function psqlCopy(databaseUrl: string, organizationId: string, to: string): Promise<{ seconds: number; rows: number; bytes: number }> {
  const query = `select id, occurred_at, received_at, action, actor_type, actor_id, actor_name, target_types, target_ids, targets, host(ip), user_agent, metadata
    from audit_events where organization_id = '${organizationId}' and occurred_at < '${to}' order by occurred_at, id`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("psql", [databaseUrl, "-X", "-q", "-c", `\\copy (${query.replace(/\s+/g, " ")}) to stdout csv`], { stdio: ["ignore", "pipe", "inherit"] });
    let bytes = 0;
    let lines = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve({ seconds: (performance.now() - started) / 1000, rows: lines, bytes }) : reject(new Error(`psql exited with ${code}`))));
  });
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const database = await benchDatabase("orgtrail_bench_export");
  const databaseUrl = database.url;
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  let server: Server | null = null;
  const key = generateApiKey();
  try {
    const org = process.env.BENCH_ORG
      ? (await sql<{ id: string; slug: string }[]>`select id, slug from organizations where slug = ${process.env.BENCH_ORG} or id::text = ${process.env.BENCH_ORG}`)[0]
      : await seedOrg(sql, SEED_ROWS);
    if (!org) throw new Error(`no organization ${process.env.BENCH_ORG}`);
    await sql`insert into api_keys (organization_id, name, prefix, secret_hash, scopes) values (${org.id}, 'export bench', ${key.prefix}, ${key.hash}, ${["events:read", "exports:write"]})`;

    let baseUrl = process.env.BENCH_URL;
    let pid = Number(process.env.BENCH_SERVER_PID);
    if (!baseUrl) {
      server = await startServer(databaseUrl, PORT, { ORGTRAIL_WORKER: "0" });
      baseUrl = server.url;
      pid = server.process.pid!;
    }
    if (!pid) throw new Error("set BENCH_SERVER_PID to the pid of the server at BENCH_URL");

    // A first small export loads the route's code, so RSS growth below is the export's own.
    const warmUp = await cutAt(sql, org.id, 1000);
    await httpExport(`${baseUrl}/api/v1/orgs/${org.slug}/events/export.csv?to=${encodeURIComponent(warmUp.to)}`, key.secret, pid);

    const results: Record<string, string | number>[] = [];
    for (const scale of SCALES) {
      const { to, count } = await cutAt(sql, org.id, scale);
      const http = await httpExport(`${baseUrl}/api/v1/orgs/${org.slug}/events/export.csv?to=${encodeURIComponent(to)}`, key.secret, pid);
      const copy = await psqlCopy(databaseUrl, org.id, to);
      if (http.rows !== count || copy.rows !== count) throw new Error(`row counts differ: db ${count}, http ${http.rows}, psql ${copy.rows}`);
      results.push({
        rows: count,
        "http rows/s": Math.round(count / http.seconds),
        "http first byte ms": Math.round(http.firstByteMs),
        "http first row ms": Math.round(http.firstRowMs),
        "http MB": mb(http.bytes),
        "psql \\copy rows/s": Math.round(count / copy.seconds),
        "psql MB": mb(copy.bytes),
        "server RSS before MB": mb(http.rss.before),
        "server RSS peak MB": mb(http.rss.peak),
        "RSS growth MB": mb(http.rss.peak - http.rss.before),
      });
    }
    table(results);
  } finally {
    await server?.stop();
    await sql`delete from api_keys where secret_hash = ${key.hash}`;
    await sql.end();
    await database.release();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
