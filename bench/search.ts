/**
 * Search latency on the bench organizations (bench/lib/seed.ts): p50/p95 over
 * HTTP of every case, beside the very same SQL run directly through postgres.js
 * in the same run, on the largest organization and on the one nearest
 * BENCH_SMALL_EVENTS (default 50,000) events, whose ratio is the growth.
 *
 *   list cases     GET /api/v1/orgs/{org}/events, one per query-language term
 *                  and combination; baseline: the SQL searchQuery() builds
 *   count cases    GET …/events/facets and …/events/histogram at once, as the
 *                  viewer asks for them; baseline: the statements actionFacets,
 *                  estimateTotal and histogram send, captured from one
 *                  in-process call and replayed one after another on one connection
 *   viewers        BENCH_VIEWERS clients (default 10; 0 skips) each loading the
 *                  default view's events (BENCH_VIEWER_PAGE rows, default 200 as the
 *                  viewer asks), facets (with the total) and histogram, for BENCH_VIEWERS_SECONDS (10),
 *                  after BENCH_VIEWERS_WARMUP_SECONDS (30) of the same load, not measured: a server
 *                  in use has compiled its hot paths and opened its connections (after 5 s a fresh
 *                  server still served a third fewer loads per second than after 30)
 *
 * BENCH_CASES, a regular expression, runs only the cases whose name it matches (BENCH_CASES='^$': none, the viewers only).
 *
 *   BENCH_DATABASE_URL=… npm run bench:search   # a database filled by `npm run bench:seed`
 *   npm run bench:search                          # a fresh database seeded here with BENCH_SEED_EVENTS
 *                                                 # (default 300,000 over 6 orgs), dropped after unless BENCH_KEEP_DB=1
 * The server is `next start` of the build in NEXT_DIST_DIR (default .next) on
 * BENCH_PORT (default 4320), or BENCH_URL: a server already running on the same database.
 * BENCH_WEB_PROCESSES (default 1) starts it as `npm start` does with ORGTRAIL_WEB_PROCESSES set to that many.
 * BENCH_RUNS (default 40) timed runs per case after BENCH_WARMUP (default 5). The
 * plans (EXPLAIN ANALYZE) of the statements of ≥ 10 ms of every case that misses its target
 * are printed at the end (BENCH_EXPLAIN=0 leaves them out).
 */
import { availableParallelism, loadavg } from "node:os";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { closeDb, db } from "../db/client";
import { resolveOrgScope, type Scope } from "../lib/access/scope";
import { generateApiKey } from "../lib/auth/api-key-secret";
import type { ApiKeyPrincipal } from "../lib/auth/api-key";
import { encodeCursor } from "../lib/events/cursor";
import { actionFacets, estimateTotal, histogram } from "../lib/events/facets";
import { rollupFilter } from "../lib/events/hourly-counts";
import { searchFingerprint, searchQuery, type EventFilter, type SearchParams } from "../lib/events/search";
import { BENCH_ORG_PREFIX, COMMON_WORD, HOT_ACTOR, HOT_TARGET, RARE_WORD } from "./lib/search-data";
import { cpuMs, processTree } from "./lib/cpu";
import { seedBenchOrganizations } from "./lib/seed";
import { benchDatabase, benchPort, percentile, startServer, type Server } from "./lib/server";

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const SMALL_EVENTS = Number(process.env.BENCH_SMALL_EVENTS ?? 50_000);
const SEED_EVENTS = Number(process.env.BENCH_SEED_EVENTS ?? 300_000);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 10);
const VIEWERS_SECONDS = Number(process.env.BENCH_VIEWERS_SECONDS ?? 10);
const VIEWERS_WARMUP_SECONDS = Number(process.env.BENCH_VIEWERS_WARMUP_SECONDS ?? 30);
const VIEWER_PAGE = Number(process.env.BENCH_VIEWER_PAGE ?? 200);
const WEB_PROCESSES = Number(process.env.BENCH_WEB_PROCESSES ?? 1);
const CASES = new RegExp(process.env.BENCH_CASES ?? "");
const EXPLAIN = process.env.BENCH_EXPLAIN !== "0";
/** A statement of a missed case is shown with its plan when it runs at least this long. */
const EXPLAIN_MS = 10;
const PORT = benchPort(4320);
const PAGE = 50;
const DEEP_PAGE = 1000;
const DAY = 86_400_000;
/** An actor in every bench organization (each has at least 50 people) with a few tenths of a percent of its events. */
const ACTOR_EMAIL = "user45@example.test";
const NOBODY = "nobody@example.test";

type Kind = "structured" | "free text" | "default view";
const TARGET_MS: Record<Kind, number> = { structured: 50, "free text": 300, "default view": 100 };
/** `sinceDays`: the view's range starts that many days before now (the viewer's presets). */
type Case = { name: string; kind: Kind; q?: string; sinceDays?: number; deepPage?: boolean };

const LIST_CASES: Case[] = [
  { name: "no filter", kind: "structured" },
  { name: "one action", kind: "structured", q: "action:document.shared" },
  { name: "action prefix", kind: "structured", q: "action:user.*" },
  { name: "actor by id (busiest)", kind: "structured", q: `actor:${HOT_ACTOR}` },
  { name: "actor by name", kind: "structured", q: 'actor:"Grace Hopper"' },
  { name: "actor by email", kind: "structured", q: `actor:${ACTOR_EMAIL}` },
  { name: "actor, no match", kind: "structured", q: `actor:${NOBODY}` },
  { name: "actor.id", kind: "structured", q: "actor.id:u_45" },
  { name: "actor.type", kind: "structured", q: "actor.type:user" },
  { name: "target type", kind: "structured", q: "target:folder" },
  { name: "target type+id", kind: "structured", q: `target:${HOT_TARGET.type}:${HOT_TARGET.id}` },
  { name: "ip, one address", kind: "structured", q: "ip:203.0.113.7" },
  { name: "ip /24", kind: "structured", q: "ip:203.0.113.0/24" },
  { name: "ip /8", kind: "structured", q: "ip:10.0.0.0/8" },
  { name: "ip v6 /32", kind: "structured", q: "ip:2001:db8::/32" },
  { name: "occurred:>24h", kind: "structured", q: "occurred:>24h" },
  { name: "7-day range", kind: "structured", sinceDays: 7 },
  { name: "combined (action prefix + actor + /8 + 7 days)", kind: "structured", q: `action:document.* actor:${HOT_ACTOR} ip:10.0.0.0/8`, sinceDays: 7 },
  { name: "negation", kind: "structured", q: "-action:document.viewed -action:user.*" },
  { name: `rare word (${RARE_WORD})`, kind: "free text", q: RARE_WORD },
  { name: `common word (${COMMON_WORD})`, kind: "free text", q: COMMON_WORD },
  { name: "phrase", kind: "free text", q: '"security review"' },
  { name: `page ${DEEP_PAGE} via cursor`, kind: "structured", deepPage: true },
];

const COUNT_CASES: Case[] = [
  { name: "default view (30 days, no q)", kind: "default view", sinceDays: 30 },
  { name: "all time, no q", kind: "default view" },
  { name: "action prefix, 30 days", kind: "default view", q: "action:user.*", sinceDays: 30 },
  { name: "actor by email, 30 days", kind: "structured", q: `actor:${ACTOR_EMAIL}`, sinceDays: 30 },
  { name: "actor, no match, 30 days", kind: "structured", q: `actor:${NOBODY}`, sinceDays: 30 },
  { name: "ip /24, 30 days", kind: "structured", q: "ip:203.0.113.0/24", sinceDays: 30 },
  { name: "target type+id, 30 days", kind: "structured", q: `target:${HOT_TARGET.type}:${HOT_TARGET.id}`, sinceDays: 30 },
  { name: `common word (${COMMON_WORD}), 30 days`, kind: "free text", q: COMMON_WORD, sinceDays: 30 },
];

type Timing = { p50: number; p95: number };
type Statement = { text: string; params: unknown[] };
type Measured = { api: Timing | null; sql: Timing | null; apiRows: number; sqlRows: number; note: string; statements: Statement[] };
type Org = { id: string; slug: string; events: number; key: string; keyId: string; scope: Scope };

process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-00";

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** A failed case (a 503 query_timeout, say) is a result to show, not the end of the run. */
async function attempt(fn: () => Promise<Timing>): Promise<{ timing: Timing | null; error: string }> {
  try {
    return { timing: await fn(), error: "" };
  } catch (error) {
    return { timing: null, error: error instanceof Error ? error.message.slice(0, 160) : String(error) };
  }
}

async function getJson(url: string, key: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${(await response.text()).slice(0, 120)}`);
  return response.json();
}

/** The SQL statements a call sends through the app's pool (postgres.js reads `debug` per query). */
async function captureStatements(fn: () => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  // drizzle keeps the client it wraps as $client (db/client.ts's Database type leaves it out).
  const options = (db() as unknown as { $client: postgres.Sql }).$client.options as { debug: unknown };
  options.debug = (_connection: number, text: string, params: unknown[]) => statements.push({ text, params: [...params] });
  try {
    await fn();
  } finally {
    options.debug = false;
  }
  return statements;
}

const chosen = (c: Case) => CASES.test(c.name);
const filterOf = (c: Case, now: Date): EventFilter => ({ q: c.q, from: c.sinceDays ? new Date(now.getTime() - c.sinceDays * DAY) : undefined });

function filterSearch(filter: EventFilter): URLSearchParams {
  const search = new URLSearchParams();
  if (filter.q) search.set("q", filter.q);
  if (filter.from) search.set("from", filter.from.toISOString());
  return search;
}

const ms = (t: Timing | null | undefined, field: keyof Timing) => (t ? t[field].toFixed(1) : "—");
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}x` : "—");

async function main(): Promise<void> {
  const database = await benchDatabase("orgtrail_bench_search");
  // The app's modules (scope, facets) read DATABASE_URL when first used: the bench's database.
  process.env.DATABASE_URL = database.url;
  // The same session settings as the app's own pool (db/client.ts), so the comparison is like for like.
  const directClient = postgres(database.url, { max: 1, onnotice: () => {}, connection: { jit: "off" } });
  // Wrapped by drizzle for drizzle's serializers: postgres.js's own jsonb one would send the target filter's
  // JSON text as a JSON string, a filter that matches nothing (the previous baseline's "target type+id").
  const direct = drizzle(directClient).$client;
  let server: Server | null = null;
  const orgs: Org[] = [];
  try {
    if (database.fresh) {
      console.log(`seeding ${SEED_EVENTS.toLocaleString()} events over 6 organizations (BENCH_SEED_EVENTS)…`);
      await seedBenchOrganizations(database.url, { events: SEED_EVENTS, orgs: 6 });
    }
    const benchOrgs = await direct<{ id: string; slug: string; n: number }[]>`
      select o.id, o.slug, c.chain_seq::int as n from organizations o join event_chains c on c.organization_id = o.id
      where o.slug like ${`${BENCH_ORG_PREFIX}%`} and c.chain_seq > 0 order by c.chain_seq desc`;
    if (benchOrgs.length === 0) throw new Error("No bench organization: run `npm run bench:seed` against this database first.");
    const large = benchOrgs[0]!;
    const small = benchOrgs.slice(1).sort((a, b) => Math.abs(a.n - SMALL_EVENTS) - Math.abs(b.n - SMALL_EVENTS))[0];
    for (const org of small ? [large, small] : [large]) {
      const key = generateApiKey();
      const [row] = await direct<{ id: string }[]>`
        insert into api_keys (organization_id, name, prefix, secret_hash, scopes) values (${org.id}, 'search benchmark', ${key.prefix}, ${key.hash}, ${["events:read"]}) returning id`;
      const principal: ApiKeyPrincipal = { kind: "api_key", keyId: row!.id, name: "search benchmark", organizationId: org.id, scopes: ["events:read"] };
      orgs.push({ id: org.id, slug: org.slug, events: org.n, key: key.secret, keyId: row!.id, scope: await resolveOrgScope(principal, org.slug) });
    }
    // No job worker in the measured server: its retention purge would delete the oldest bench events meanwhile.
    server = process.env.BENCH_URL ? null : await startServer(database.url, PORT, { ORGTRAIL_WORKER: "0" }, WEB_PROCESSES);
    const target = process.env.BENCH_URL ?? server!.url;
    console.log(`${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}: ${orgs.map((o) => `${o.slug} (${o.events.toLocaleString()} events)`).join(" and ")}; ${RUNS} runs per case after ${WARMUP} warm-up runs`);

    const results = new Map<string, Map<string, Measured>>();
    for (const org of orgs) {
      const byCase = new Map<string, Measured>();
      results.set(org.slug, byCase);
      console.log(`\n${org.slug}: list`);
      for (const c of LIST_CASES.filter(chosen)) byCase.set(c.name, await listCase(org, c, target));
      console.log(`${org.slug}: facets + histogram`);
      for (const c of COUNT_CASES.filter(chosen)) byCase.set(c.name, await countCase(org, c, target));
    }

    for (const org of orgs) {
      const byCase = results.get(org.slug)!;
      console.log(`\n### ${org.slug} (${org.events.toLocaleString()} events)\n`);
      console.log("| case | rows | API p50 ms | API p95 ms | SQL p50 ms | SQL p95 ms | API ÷ SQL p95 | target p95 | met |");
      console.log("|---|---:|---:|---:|---:|---:|---:|---:|---|");
      for (const c of [...LIST_CASES, ...COUNT_CASES].filter(chosen)) {
        const m = byCase.get(c.name)!;
        const goal = TARGET_MS[c.kind];
        const met = m.api ? (m.api.p95 <= goal ? "yes" : "**no**") : "**failed**";
        const rows = COUNT_CASES.includes(c) ? `${m.apiRows.toLocaleString()} (${m.note})` : m.apiRows.toLocaleString();
        console.log(`| ${c.name} | ${rows} | ${ms(m.api, "p50")} | ${ms(m.api, "p95")} | ${ms(m.sql, "p50")} | ${ms(m.sql, "p95")} | ${ratio(m.api?.p95, m.sql?.p95)} | ${goal} | ${met} |`);
      }
      const problems = [...byCase.entries()].filter(([, m]) => m.note.startsWith("!"));
      for (const [name, m] of problems) console.log(`- ${name}: ${m.note}`);
    }

    if (orgs.length === 2) {
      const [big, little] = orgs as [Org, Org];
      console.log(`\n### Growth: ${big.slug} (${big.events.toLocaleString()}) ÷ ${little.slug} (${little.events.toLocaleString()}), target < 2x\n`);
      console.log("Each cell: small org ms → large org ms = growth.\n");
      console.log("| case | API p50 | API p95 | SQL p50 | SQL p95 |");
      console.log("|---|---|---|---|---|");
      for (const c of [...LIST_CASES, ...COUNT_CASES].filter(chosen)) {
        const b = results.get(big.slug)!.get(c.name)!;
        const l = results.get(little.slug)!.get(c.name)!;
        const cell = (side: "api" | "sql", field: keyof Timing) => `${ms(l[side], field)} → ${ms(b[side], field)} = ${ratio(b[side]?.[field], l[side]?.[field])}`;
        console.log(`| ${c.name} | ${cell("api", "p50")} | ${cell("api", "p95")} | ${cell("sql", "p50")} | ${cell("sql", "p95")} |`);
      }
    }

    if (VIEWERS > 0) await viewers(orgs[0]!, target, server?.process.pid);
    console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    if (EXPLAIN) await explainMissed(results);
  } finally {
    for (const org of orgs) await direct`delete from api_keys where id = ${org.keyId}`;
    await server?.stop();
    await directClient.end();
    await closeDb();
    await database.release();
  }

  /** One events page: the API beside searchQuery()'s SQL. */
  async function listCase(org: Org, c: Case, target: string): Promise<Measured> {
    const now = new Date();
    const params: SearchParams = { ...filterOf(c, now), limit: PAGE, order: "desc" };
    if (c.deepPage) {
      // The cursor of page 1,000 of the unfiltered, newest-first listing, as the API would have handed it out.
      // Epoch milliseconds: drizzle's parsers (see `direct`) leave timestamps as PostgreSQL's text.
      const [position] = await direct<{ at: number; id: string }[]>`
        select (extract(epoch from occurred_at) * 1000)::float8 as at, id from audit_events where organization_id = ${org.id}
        order by occurred_at desc, id desc offset ${PAGE * (DEEP_PAGE - 1) - 1} limit 1`;
      if (!position) return { api: null, sql: null, apiRows: 0, sqlRows: 0, note: `! skipped: fewer than ${(PAGE * DEEP_PAGE).toLocaleString()} events`, statements: [] };
      params.cursor = encodeCursor({ occurredAt: new Date(position.at).toISOString(), id: position.id }, org.id, searchFingerprint(org.scope, params));
    }
    const search = filterSearch(params);
    search.set("limit", String(PAGE));
    search.set("order", "desc");
    if (params.cursor) search.set("cursor", params.cursor);
    const query = searchQuery(org.scope, params, now).toSQL();
    let apiRows = 0;
    let sqlRows = 0;
    const api = await attempt(() =>
      timed(async () => {
        apiRows = ((await getJson(`${target}/api/v1/orgs/${org.slug}/events?${search}`, org.key)) as { data: unknown[] }).data.length;
      }),
    );
    const sqlTimes = await attempt(() =>
      timed(async () => {
        sqlRows = Math.min(PAGE, (await direct.unsafe(query.sql, query.params as never[])).length);
      }),
    );
    // Both sides must find the same page, or the baseline measures some other query.
    const note = api.error || sqlTimes.error ? `! ${api.error || sqlTimes.error}` : apiRows !== sqlRows ? `! rows differ: API ${apiRows}, SQL ${sqlRows}` : "";
    console.log(`  ${c.name}: api p95 ${ms(api.timing, "p95")} ms, sql p95 ${ms(sqlTimes.timing, "p95")} ms ${note}`);
    return { api: api.timing, sql: sqlTimes.timing, apiRows, sqlRows, note, statements: [{ text: query.sql, params: query.params }] };
  }

  /** Facets and histogram together, as the viewer loads them, beside the statements they send. */
  async function countCase(org: Org, c: Case, target: string): Promise<Measured> {
    const now = new Date();
    const filter = filterOf(c, now);
    const search = filterSearch(filter);
    let apiTotal = 0;
    const api = await attempt(() =>
      timed(async () => {
        const [facets] = (await Promise.all([
          getJson(`${target}/api/v1/orgs/${org.slug}/events/facets?${search}`, org.key),
          getJson(`${target}/api/v1/orgs/${org.slug}/events/histogram?${search}`, org.key),
        ])) as [{ data: { total: { count: number } } }, unknown];
        apiTotal = facets.data.total.count;
      }),
    );
    const inProcess = () => Promise.all([actionFacets(org.scope, filter, now), estimateTotal(org.scope, filter, now), histogram(org.scope, filter, now)]);
    let statements: Statement[] = [];
    let sqlError = "";
    try {
      await inProcess();
      statements = await captureStatements(inProcess);
    } catch (error) {
      sqlError = error instanceof Error ? error.message.slice(0, 160) : String(error);
    }
    const sqlTimes = sqlError
      ? { timing: null, error: sqlError }
      : await attempt(() =>
          timed(async () => {
            for (const s of statements) await direct.unsafe(s.text, s.params as never[]);
          }),
        );
    const counts = rollupFilter(org.scope, filter.q) ? "rollups" : "events counted";
    const note = api.error || sqlTimes.error ? `! ${api.error || sqlTimes.error}` : `${counts}, ${statements.length} statements`;
    console.log(`  ${c.name}: api p95 ${ms(api.timing, "p95")} ms, sql p95 ${ms(sqlTimes.timing, "p95")} ms (${note})`);
    return { api: api.timing, sql: sqlTimes.timing, apiRows: apiTotal, sqlRows: apiTotal, note, statements };
  }

  /** The plans of the statements that make a case miss its target (BENCH_EXPLAIN=0 skips them). */
  async function explainMissed(results: Map<string, Map<string, Measured>>): Promise<void> {
    for (const [slug, byCase] of results) {
      for (const c of [...LIST_CASES, ...COUNT_CASES].filter(chosen)) {
        const m = byCase.get(c.name)!;
        if (m.api && m.api.p95 <= TARGET_MS[c.kind]) continue;
        // countMatches' own EXPLAIN (the planner's row estimate, which picks the order of the counting reads) cannot be explained again.
        for (const s of m.statements.filter((statement) => !/^\s*explain\b/i.test(statement.text))) {
          const plan = await direct.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, buffers, costs off) ${s.text}`, s.params as never[]);
          const lines = plan.map((row) => row["QUERY PLAN"]);
          const execution = Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1) ?? "")?.[1] ?? 0);
          if (execution < EXPLAIN_MS) continue;
          console.log(`\n#### ${slug}, ${c.name}: ${execution.toFixed(1)} ms\n\n${s.text}\n-- parameters: ${JSON.stringify(s.params)}\n${lines.join("\n")}`);
        }
      }
    }
  }

  /** BENCH_VIEWERS clients loading the default view's three requests again and again. */
  async function viewers(org: Org, target: string, serverPid: number | undefined): Promise<void> {
    const times: number[] = [];
    const calls = { events: [] as number[], facets: [] as number[], histogram: [] as number[] };
    let errors = 0;
    const call = async (name: keyof typeof calls, url: string, measured: boolean) => {
      const t = performance.now();
      await getJson(url, org.key);
      if (measured) calls[name].push(performance.now() - t);
    };
    /** Loads the view until `deadline`; only a `measured` run's times and errors count. */
    const viewer = async (deadline: number, measured: boolean) => {
      while (Date.now() < deadline) {
        const search = filterSearch({ from: new Date(Date.now() - 30 * DAY) });
        const t = performance.now();
        try {
          await Promise.all([
            call("events", `${target}/api/v1/orgs/${org.slug}/events?${search}&limit=${VIEWER_PAGE}`, measured),
            call("facets", `${target}/api/v1/orgs/${org.slug}/events/facets?${search}`, measured),
            call("histogram", `${target}/api/v1/orgs/${org.slug}/events/histogram?${search}`, measured),
          ]);
          if (measured) times.push(performance.now() - t);
        } catch {
          if (measured) errors += 1;
        }
      }
    };
    // The app's PostgreSQL backends on this database and the server's processes; ones that start during the run count from 0.
    const backends = async () => (await direct<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name = 'orgtrail'`).map((r) => r.pid);
    const processes = async () => ({ server: serverPid ? processTree(serverPid) : [], postgres: await backends() });
    const cpuOf = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuMs([pid])]));
    const warmupEnd = Date.now() + VIEWERS_WARMUP_SECONDS * 1000;
    await Promise.all(Array.from({ length: VIEWERS }, () => viewer(warmupEnd, false)));
    const before = await processes();
    const cpuBefore = { server: cpuOf(before.server), postgres: cpuOf(before.postgres) };
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const deadline = Date.now() + VIEWERS_SECONDS * 1000;
    await Promise.all(Array.from({ length: VIEWERS }, () => viewer(deadline, true)));
    const seconds = (performance.now() - started) / 1000;
    const after = await processes();
    const spent = (pids: number[], start: Map<number, number>) => pids.reduce((sum, pid) => sum + cpuMs([pid]) - (start.get(pid) ?? 0), 0);
    const clientUsage = process.cpuUsage(clientBefore);
    const cpu = { server: spent(after.server, cpuBefore.server), postgres: spent(after.postgres, cpuBefore.postgres), client: (clientUsage.user + clientUsage.system) / 1000 };
    times.sort((a, b) => a - b);
    const webProcesses = process.env.BENCH_URL ? "" : `, ${WEB_PROCESSES} web process${WEB_PROCESSES === 1 ? "" : "es"}`;
    console.log(`\n### ${VIEWERS} concurrent viewers, ${org.slug}, default view (events page of ${VIEWER_PAGE} + facets + histogram over the API), ${VIEWERS_SECONDS} s after ${VIEWERS_WARMUP_SECONDS} s of warm-up${webProcesses}\n`);
    console.log(`loads/s: ${(times.length / seconds).toFixed(1)}; load p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms; errors ${errors}`);
    for (const [name, list] of Object.entries(calls)) {
      list.sort((a, b) => a - b);
      console.log(`  ${name}: p50 ${percentile(list, 50).toFixed(0)} ms, p95 ${percentile(list, 95).toFixed(0)} ms`);
    }
    const loads = Math.max(1, times.length);
    console.log(
      `CPU per load: server ${serverPid ? (cpu.server / loads).toFixed(1) : "—"} ms (${after.server.length} processes), PostgreSQL ${(cpu.postgres / loads).toFixed(1)} ms (${after.postgres.length} backends), ` +
        `this load generator ${(cpu.client / loads).toFixed(1)} ms (fetch, gunzip, JSON.parse; it shares the machine); ` +
        `machine: ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
