/**
 * npm run bench:ingest — ingest throughput and the kill test, against `next start`
 * (the build in NEXT_DIST_DIR, default .next: `npm run build` first) on BENCH_PORT
 * (default 4310; the kill rounds' servers take the six ports above it), on
 * BENCH_DATABASE_URL or a fresh database of the local PostgreSQL dropped at the
 * end (bench/lib/server.ts). BENCH_DURATION (10) seconds per run, BENCH_PAIRS (3).
 *
 *  1. GET /api/v1/health, 50 connections: the baseline req/s of the same server.
 *  2. Single-event POSTs, 50 connections, one org: events/s, p50/p99 latency.
 *  3. Batches of 1,000 events: events/s, beside raw postgres.js 1,000-row INSERTs
 *     into a copy of audit_events with the same indexes.
 *  4. Kill test: 3 rounds of kill -9 under load; every acknowledged id must be stored
 *     exactly once and /verify must pass after restart.
 */
import { randomBytes, randomUUID } from "node:crypto";
import autocannon from "autocannon";
import postgres from "postgres";
import { generateApiKey } from "../lib/auth/api-key-secret";
import { benchDatabase, benchPort, startServer, type Server } from "./lib/server";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PORT = benchPort(4310);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const KEY = generateApiKey();
// This run's own organization (left behind in a BENCH_DATABASE_URL, as ingest-…) and copy of the table (dropped).
const ORG = `ingest-${randomBytes(4).toString("hex")}`;
const RAW_TABLE = `audit_events_raw_${process.pid}`;

function eventBody(i: number) {
  return {
    action: "document.shared",
    occurred_at: new Date().toISOString(),
    actor: { type: "user", id: `u_${i % 500}`, name: "Bench User", metadata: { email: `user${i % 500}@bench.test` } },
    targets: [{ type: "document", id: `doc_${i % 5000}`, name: "Quarterly plan" }],
    context: { location: "203.0.113.7", user_agent: "Mozilla/5.0 (bench)" },
    metadata: { shared_with: "finance@bench.test", permission: "view" },
  };
}

async function load(url: string, options: Partial<autocannon.Options>) {
  return autocannon({ url, connections: 50, duration: DURATION, ...options });
}

async function rawInsertRate(sql: postgres.Sql, organizationId: string, connections: number): Promise<number> {
  await sql`drop table if exists ${sql(RAW_TABLE)}`;
  await sql`create table ${sql(RAW_TABLE)} (like audit_events including all)`;
  const deadline = Date.now() + DURATION * 1000;
  let rows = 0;
  let seq = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const batch = Array.from({ length: 1000 }, (_, i) => {
        const e = eventBody(i);
        seq += 1;
        return {
          organization_id: organizationId,
          id: randomUUID(),
          seq,
          action: e.action,
          version: 1,
          occurred_at: e.occurred_at,
          received_at: e.occurred_at,
          actor_type: e.actor.type,
          actor_id: e.actor.id,
          actor_name: e.actor.name,
          actor_metadata: sql.json(e.actor.metadata),
          targets: sql.json(e.targets),
          target_ids: e.targets.map((t) => t.id),
          target_types: e.targets.map((t) => t.type),
          ip: e.context.location,
          user_agent: e.context.user_agent,
          metadata: sql.json(e.metadata),
          search_text: "document.shared bench user quarterly plan",
          hash: "0".repeat(64),
          prev_hash: "0".repeat(64),
        };
      });
      await sql`insert into ${sql(RAW_TABLE)} ${sql(batch)}`;
      rows += 1000;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  return rows / ((Date.now() - started) / 1000);
}

async function killRound(databaseUrl: string, round: number): Promise<{ acked: number; stored: number; duplicates: number; verify: unknown }> {
  const server = await startServer(databaseUrl, PORT + 1 + round);
  const acked: string[] = [];
  let stop = false;
  const client = async (c: number) => {
    for (let i = 0; !stop; i++) {
      try {
        const response = await fetch(`${server.url}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${KEY.secret}`, "content-type": "application/json" },
          body: JSON.stringify({ organization_id: ORG, event: eventBody(c * 1_000_000 + i) }),
        });
        if (response.status === 201) acked.push(...((await response.json()) as { data: { id: string }[] }).data.map((d) => d.id));
      } catch {
        // the server died mid-request: this event was not acknowledged
      }
    }
  };
  const clients = Array.from({ length: 30 }, (_, c) => client(c));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  server.process.kill("SIGKILL");
  await new Promise((resolve) => setTimeout(resolve, 300));
  stop = true;
  await Promise.all(clients);
  const restarted = await startServer(databaseUrl, PORT + 4 + round);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string; n: string }[]>`select id, count(*) as n from audit_events where id = any(${acked}) group by id`;
    const verify = await (await fetch(`${restarted.url}/api/v1/orgs/${ORG}/verify`, { headers: { authorization: `Bearer ${KEY.secret}` } })).json();
    return { acked: acked.length, stored: rows.length, duplicates: rows.filter((r) => Number(r.n) > 1).length, verify };
  } finally {
    await sql.end();
    await restarted.stop();
  }
}

async function main(): Promise<void> {
  const database = await benchDatabase("orgtrail_bench_ingest");
  const sql = postgres(database.url, { max: 4, onnotice: () => {} });
  try {
    await run(database.url, sql);
  } finally {
    await sql`drop table if exists ${sql(RAW_TABLE)}`;
    if (!database.fresh) await sql`delete from api_keys where secret_hash = ${KEY.hash}`;
    await sql.end();
    await database.release();
  }
}

async function run(databaseUrl: string, sql: postgres.Sql): Promise<void> {
  const [org] = await sql<{ id: string }[]>`insert into organizations (slug, name) values (${ORG}, 'Ingest bench') returning id`;
  await sql`insert into api_keys (organization_id, name, prefix, secret_hash, scopes)
    values (null, 'ingest bench', ${KEY.prefix}, ${KEY.hash}, ${["events:write", "events:read"]})`;
  const headers = { authorization: `Bearer ${KEY.secret}`, "content-type": "application/json" };
  const body = (event: object) => JSON.stringify({ organization_id: ORG, event });

  const server: Server = await startServer(databaseUrl, PORT);
  let health: autocannon.Result, single: autocannon.Result, batch: autocannon.Result;
  const ratios: string[] = [];
  try {
    await load(`${server.url}/api/v1/health`, { duration: 2 });
    // Health and single-event runs alternate, so drift of this shared machine hits both alike; the median pair is reported.
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) {
      const h = await load(`${server.url}/api/v1/health`, {});
      const s = await load(`${server.url}/api/v1/events`, { method: "POST", headers, body: body(eventBody(1)) });
      pairs.push({ health: h, single: s, ratio: s.requests.average / h.requests.average });
    }
    ratios.push(...pairs.map((p) => p.ratio.toFixed(2)));
    ({ health, single } = pairs.sort((a, b) => a.ratio - b.ratio)[Math.floor(PAIRS / 2)]!);
    const batchBody = JSON.stringify({ organization_id: ORG, events: Array.from({ length: 1000 }, (_, i) => eventBody(i)) });
    batch = await load(`${server.url}/api/v1/events`, { method: "POST", headers, body: batchBody, connections: 4 });
  } finally {
    await server.stop();
  }
  // One writer is the fair baseline: one org's chain admits one writer at a time. Four show what the table could take.
  const raw = await rawInsertRate(sql, org!.id, 1);
  const rawParallel = await rawInsertRate(sql, org!.id, 4);
  const [{ ok }] = await sql<{ ok: string }[]>`select count(*) as ok from audit_events where organization_id = ${org!.id}`;

  const singleErrors = single.non2xx + single.errors;
  const batchRate = (batch.requests.total - batch.non2xx) * 1000 / batch.duration;
  console.log(`\nIngest benchmark, ${DURATION} s per run, median of ${PAIRS} health/single pairs, ${new Date().toISOString()}`);
  console.table([
    { run: "GET /api/v1/health (baseline)", "req/s": Math.round(health.requests.average), "p50 ms": health.latency.p50, "p99 ms": health.latency.p99, errors: health.non2xx + health.errors },
    { run: "POST 1 event, 50 conns", "req/s": Math.round(single.requests.average), "p50 ms": single.latency.p50, "p99 ms": single.latency.p99, errors: singleErrors },
    { run: "POST 1,000-event batch, 4 conns", "req/s": Math.round(batch.requests.average), "p50 ms": batch.latency.p50, "p99 ms": batch.latency.p99, errors: batch.non2xx + batch.errors },
  ]);
  console.log(`single events/s: ${Math.round(single.requests.average)}  = ${(single.requests.average / health.requests.average).toFixed(2)}x health req/s (target ≥ 0.6x); the ${PAIRS} pairs: ${ratios.join(", ")}`);
  console.log(`batch events/s:  ${Math.round(batchRate)}  raw postgres.js 1,000-row INSERTs, 1 writer: ${Math.round(raw)} rows/s = ${(batchRate / raw).toFixed(2)}x (target ≥ 0.5x); 4 writers: ${Math.round(rawParallel)} rows/s = ${(batchRate / rawParallel).toFixed(2)}x`);
  console.log(`events stored by the load runs: ${ok}`);

  console.log("\nKill test: 30 clients posting single events, kill -9 after 3 s, restart, check");
  const rounds = [];
  for (let round = 0; round < 3; round++) rounds.push({ round: round + 1, ...(await killRound(databaseUrl, round)) });
  console.table(rounds.map((r) => ({ round: r.round, acknowledged: r.acked, "stored once": r.stored, duplicates: r.duplicates, lost: r.acked - r.stored, verify: JSON.stringify(r.verify) })));
  const failed = rounds.some((r) => r.acked !== r.stored || r.duplicates > 0 || !(r.verify as { ok?: boolean }).ok);
  if (failed) {
    console.error("KILL TEST FAILED");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
