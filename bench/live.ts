/**
 * npm run bench:live — live mode for many open viewers (issue 15): BENCH_LIVE_VIEWERS
 * (default 1,000) viewers of one organization follow its new events while they are
 * ingested at BENCH_LIVE_RATE (default 20) events/s for BENCH_LIVE_SECONDS (default 20).
 *
 *   push      each viewer holds one Server-Sent Events stream (GET …/events/live),
 *             spread over BENCH_LIVE_QUERIES (default 10) different queries, as
 *             the viewer does now
 *   baseline  in the same run, the same viewers polling GET …/events every 4 s
 *             for what is new (oldest first, at most 500), as the viewer did before
 *
 * For each: events delivered (and how many a viewer should have had), the delay
 * from ingest to a viewer's receipt (p50/p95/max), requests, and the CPU the
 * server and PostgreSQL spent per second (from /proc; both run on this machine).
 *
 * Server: `next start` of NEXT_DIST_DIR on BENCH_PORT (default 4340). Database:
 * BENCH_DATABASE_URL, or a fresh one on BENCH_ADMIN_URL's server, dropped after.
 */
import http from "node:http";
import { availableParallelism, loadavg, totalmem } from "node:os";
import postgres from "postgres";
import { generateApiKey } from "../lib/auth/api-key-secret";
import { MAX_STREAMS_PER_CALLER } from "../lib/events/live/stream-slots";
import { cpuMs, processTree } from "./lib/cpu";
import { benchDatabase, benchPort, percentile as sortedPercentile, startServer } from "./lib/server";

const VIEWERS = Number(process.env.BENCH_LIVE_VIEWERS ?? 1000);
const RATE = Number(process.env.BENCH_LIVE_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 20);
const QUERIES = Number(process.env.BENCH_LIVE_QUERIES ?? 10);
const POLL_MS = 4_000;
const PORT = benchPort(4340);
const ACTIONS = Array.from({ length: QUERIES }, (_, i) => `bench.kind${i}.happened`);

type Viewer = { q: string; action: string | null };
/** Viewer i follows one action (its query) or, for the first of every QUERIES, everything. */
const viewerOf = (i: number): Viewer => (i % QUERIES === 0 ? { q: "", action: null } : { q: `action:${ACTIONS[i % QUERIES]}`, action: ACTIONS[i % QUERIES]! });

type Received = { delays: number[]; events: number; requests: number; errors: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function get(url: string, key: string, onData?: (chunk: string) => void): Promise<{ status: number; body: string; request: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${key}` } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      if (onData) {
        resolve({ status: response.statusCode ?? 0, body: "", request });
        response.on("data", onData);
        response.on("error", () => {});
        return;
      }
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, request }));
    });
    request.on("error", reject);
  });
}

const percentile = (values: number[], p: number): number => sortedPercentile([...values].sort((a, b) => a - b), p);

const sentAtOf = (event: { metadata: Record<string, unknown> }) => Number(event.metadata.sent_at);

async function main() {
  console.log(`machine: ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${new Date().toISOString()}`);
  console.log(`${VIEWERS} viewers over ${QUERIES} queries; ingest ${RATE} events/s for ${SECONDS} s per phase`);
  const database = await benchDatabase("live");
  const direct = postgres(database.url, { max: 2, onnotice: () => {} });
  const [org] = await direct<{ id: string }[]>`insert into organizations (slug, name) values ('live-bench', 'Live bench') returning id`;
  // Each caller may hold MAX_STREAMS_PER_CALLER streams: the viewers share readers' keys that many at a time, as people's tabs would.
  const readers = Array.from({ length: Math.ceil(VIEWERS / MAX_STREAMS_PER_CALLER) }, () => generateApiKey());
  const writer = generateApiKey();
  for (const key of [...readers.map((reader) => ({ key: reader, scope: "events:read" })), { key: writer, scope: "events:write" }]) {
    await direct`insert into api_keys (organization_id, name, prefix, secret_hash, scopes) values (${org!.id}, 'bench', ${key.key.prefix}, ${key.key.hash}, ${[key.scope]})`;
  }
  const readerOf = (i: number) => readers[Math.floor(i / MAX_STREAMS_PER_CALLER)]!.secret;
  const server = await startServer(database.url, PORT);
  const base = `${server.url}/api/v1/orgs/live-bench`;

  /** Ingests at RATE for SECONDS, one event per request, each action in turn; returns how many each viewer should get. */
  async function ingestPhase(): Promise<{ sent: number; perAction: Map<string, number> }> {
    const perAction = new Map<string, number>();
    const total = RATE * SECONDS;
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const action = ACTIONS[i % QUERIES]!;
      perAction.set(action, (perAction.get(action) ?? 0) + 1);
      const response = await fetch(`${server.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${writer.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ event: { action, occurred_at: new Date().toISOString(), actor: { type: "user", id: `u_${i % 50}` }, targets: [], metadata: { sent_at: Date.now() } } }),
      });
      if (response.status !== 201) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }
    return { sent: total, perAction };
  }

  const expectedFor = (viewer: Viewer, phase: { sent: number; perAction: Map<string, number> }) => (viewer.action ? (phase.perAction.get(viewer.action) ?? 0) : phase.sent);

  const serverPids = () => processTree(server.process.pid!);
  const backends = async () => (await direct<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name = 'orgtrail'`).map((r) => r.pid);

  async function measured<T>(run: () => Promise<T>): Promise<{ result: T; serverMs: number; postgresMs: number; seconds: number }> {
    const before = { server: new Map(serverPids().map((pid) => [pid, cpuMs([pid])])), postgres: new Map((await backends()).map((pid) => [pid, cpuMs([pid])])) };
    const t = performance.now();
    const result = await run();
    const seconds = (performance.now() - t) / 1000;
    const spent = (pids: number[], start: Map<number, number>) => pids.reduce((sum, pid) => sum + cpuMs([pid]) - (start.get(pid) ?? 0), 0);
    return { result, serverMs: spent(serverPids(), before.server), postgresMs: spent(await backends(), before.postgres), seconds };
  }

  // ---- push: one SSE stream per viewer ----
  const push: Received = { delays: [], events: 0, requests: 0, errors: 0 };
  const viewers = Array.from({ length: VIEWERS }, (_, i) => viewerOf(i));
  const streams: http.ClientRequest[] = [];
  const opened = performance.now();
  await Promise.all(
    viewers.map(async (viewer, i) => {
      let buffer = "";
      const { status, request } = await get(`${base}/events/live?q=${encodeURIComponent(viewer.q)}`, readerOf(i), (chunk) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: events\n(?:.*\n)*?data: (.*)$/m.exec(message)?.[1];
          if (!data && message.includes("event: events")) push.errors += 1;
          if (!data) continue;
          const now = Date.now();
          for (const event of JSON.parse(data) as { metadata: Record<string, unknown> }[]) {
            push.events += 1;
            push.delays.push(now - sentAtOf(event));
          }
        }
      });
      push.requests += 1;
      if (status !== 200) push.errors += 1;
      streams.push(request);
    }),
  );
  console.log(`push: ${VIEWERS} streams open in ${((performance.now() - opened) / 1000).toFixed(1)} s`);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const pushRun = await measured(async () => {
    const phase = await ingestPhase();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    return phase;
  });
  for (const request of streams) request.destroy();
  const pushExpected = viewers.reduce((sum, viewer) => sum + expectedFor(viewer, pushRun.result), 0);

  // ---- baseline: every viewer polls every 4 s ----
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const poll: Received = { delays: [], events: 0, requests: 0, errors: 0 };
  let polling = true;
  const pollTimes: number[] = [];
  const pollers = viewers.map(async (viewer, i) => {
    let since = new Date().toISOString();
    const seen = new Set<string>();
    // Spread over the interval, as tabs opened at different times are.
    await new Promise((resolve) => setTimeout(resolve, (i * POLL_MS) / VIEWERS));
    while (polling) {
      const t = performance.now();
      try {
        const { status, body } = await get(`${base}/events?q=${encodeURIComponent(viewer.q)}&from=${encodeURIComponent(since)}&order=asc&limit=500`, readerOf(i));
        poll.requests += 1;
        pollTimes.push(performance.now() - t);
        if (status !== 200) {
          poll.errors += 1;
        } else {
          const now = Date.now();
          for (const event of (JSON.parse(body) as { data: { id: string; occurred_at: string; metadata: Record<string, unknown> }[] }).data) {
            if (seen.has(event.id)) continue;
            seen.add(event.id);
            poll.events += 1;
            poll.delays.push(now - sentAtOf(event));
            since = event.occurred_at;
          }
        }
      } catch {
        poll.errors += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (performance.now() - t))));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const pollRun = await measured(async () => {
    const phase = await ingestPhase();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 1_000));
    return phase;
  });
  polling = false;
  await Promise.all(pollers);
  const pollExpected = viewers.reduce((sum, viewer) => sum + expectedFor(viewer, pollRun.result), 0);

  const line = (name: string, r: Received, expected: number, run: { serverMs: number; postgresMs: number; seconds: number }) =>
    `${name.padEnd(9)} delivered ${r.events}/${expected}; delay p50 ${percentile(r.delays, 50).toFixed(0)} ms, p95 ${percentile(r.delays, 95).toFixed(0)} ms, max ${Math.max(0, ...r.delays).toFixed(0)} ms; ` +
    `${r.requests} requests (streams opened or polls made), ${r.errors} errors; CPU per second: server ${(run.serverMs / run.seconds).toFixed(0)} ms, PostgreSQL ${(run.postgresMs / run.seconds).toFixed(0)} ms`;
  console.log(line("push", push, pushExpected, pushRun));
  console.log(line("polling", poll, pollExpected, pollRun));
  if (pollTimes.length) console.log(`polling: each poll p50 ${percentile(pollTimes, 50).toFixed(0)} ms, p95 ${percentile(pollTimes, 95).toFixed(0)} ms`);
  const cpuPerSecond = (run: { serverMs: number; postgresMs: number; seconds: number }) => (run.serverMs + run.postgresMs) / run.seconds;
  console.log(
    `ratio (polling / push): CPU ${(cpuPerSecond(pollRun) / Math.max(1, cpuPerSecond(pushRun))).toFixed(1)}x, delay p95 ${(percentile(poll.delays, 95) / Math.max(1, percentile(push.delays, 95))).toFixed(1)}x`,
  );

  await server.stop();
  await direct.end();
  await database.release();
  agent.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
