/**
 * Search latency on the largest bench organization (fill it first with
 * `npm run bench:seed`): p50/p95 of GET /api/v1/orgs/{org}/events over HTTP
 * for each case, beside the very same SQL (built by lib/events/search.ts's
 * searchQuery) run directly through postgres.js in the same run.
 *
 *   DATABASE_URL=… npm run bench:search                 # starts `next start` (needs `npm run build`)
 *   DATABASE_URL=… BENCH_URL=http://localhost:3000 npm run bench:search   # an already running server on the same database
 *
 * BENCH_RUNS (default 40) timed runs per case after BENCH_WARMUP (default 5).
 */
import postgres from "postgres";
import { resolveOrgScope } from "../lib/access/scope";
import { generateApiKey } from "../lib/auth/api-key-secret";
import type { ApiKeyPrincipal } from "../lib/auth/api-key";
import { encodeCursor } from "../lib/events/cursor";
import { searchFingerprint, searchQuery, type SearchParams } from "../lib/events/search";
import { BENCH_ORG_PREFIX, COMMON_WORD, HOT_ACTOR, HOT_TARGET, RARE_WORD } from "./lib/search-data";
import { percentile, startServer, type Server } from "./lib/server";

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const PAGE = 50;
const DEEP_PAGE = 1000;

const url = process.env.DATABASE_URL;
if (!url) throw new Error("Set DATABASE_URL to the database filled by `npm run bench:seed`.");
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-00";
// The same session settings as the app's own pool (db/client.ts), so the comparison is like for like.
const direct = postgres(url, { max: 1, onnotice: () => {}, connection: { jit: "off" } });

type Case = { name: string; kind: "structured" | "free text"; params: Omit<SearchParams, "limit" | "order"> };

async function timed(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
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

async function main(): Promise<void> {
  const [org] = await direct<{ id: string; slug: string; n: number }[]>`
    select id, slug, chain_seq::int as n from organizations where slug like ${`${BENCH_ORG_PREFIX}%`} order by chain_seq desc limit 1`;
  if (!org) throw new Error("No bench organization: run `npm run bench:seed` against this database first.");
  const key = generateApiKey();
  const [row] = await direct<{ id: string }[]>`
    insert into api_keys (organization_id, name, prefix, secret_hash, scopes) values (${org.id}, 'search benchmark', ${key.prefix}, ${key.hash}, ${["events:read"]}) returning id`;
  const principal: ApiKeyPrincipal = { kind: "api_key", keyId: row!.id, name: "search benchmark", organizationId: org.id, scopes: ["events:read"] };
  const scope = await resolveOrgScope(principal, org.slug);
  console.log(`${org.slug}: ${org.n.toLocaleString()} events; ${RUNS} runs per case after ${WARMUP} warm-up runs`);

  // The cursor of page 1,000 of the unfiltered, newest-first listing, as the API would have handed it out.
  const base: SearchParams = { limit: PAGE, order: "desc" };
  const [position] = await direct<{ occurred_at: Date; id: string }[]>`
    select occurred_at, id from audit_events where organization_id = ${org.id}
    order by occurred_at desc, id desc offset ${PAGE * (DEEP_PAGE - 1) - 1} limit 1`;
  const deepCursor = position ? encodeCursor({ occurredAt: position.occurred_at.toISOString(), id: position.id }, org.id, searchFingerprint(scope, base)) : undefined;

  const week = new Date(Date.now() - 7 * 86_400_000);
  const cases: Case[] = [
    { name: "no filter", kind: "structured", params: {} },
    { name: "one action", kind: "structured", params: { q: "action:document.shared" } },
    { name: "action prefix", kind: "structured", params: { q: "action:user.*" } },
    { name: "actor", kind: "structured", params: { q: `actor:${HOT_ACTOR}` } },
    { name: "target type+id", kind: "structured", params: { q: `target:${HOT_TARGET.type}:${HOT_TARGET.id}` } },
    { name: "7-day range", kind: "structured", params: { from: week } },
    { name: "combined", kind: "structured", params: { q: `action:document.* actor:${HOT_ACTOR} ip:10.0.0.0/8`, from: week } },
    { name: "negation", kind: "structured", params: { q: "-action:document.viewed -action:user.*" } },
    { name: `rare word (${RARE_WORD})`, kind: "free text", params: { q: RARE_WORD } },
    { name: `common word (${COMMON_WORD})`, kind: "free text", params: { q: COMMON_WORD } },
  ];
  if (deepCursor) cases.push({ name: `page ${DEEP_PAGE} via cursor`, kind: "structured", params: { cursor: deepCursor } });
  else console.log(`  (page ${DEEP_PAGE} skipped: the organization has fewer than ${(PAGE * DEEP_PAGE).toLocaleString()} events)`);

  let server: Server | null = null;
  const target = process.env.BENCH_URL ?? (server = await startServer(url!, PORT)).url;
  const results: Record<string, string | number>[] = [];
  try {
    for (const c of cases) {
      const params: SearchParams = { ...base, ...c.params };
      const search = new URLSearchParams({ limit: String(PAGE), order: "desc" });
      if (params.q) search.set("q", params.q);
      if (params.from) search.set("from", params.from.toISOString());
      if (params.cursor) search.set("cursor", params.cursor);
      const endpoint = `${target}/api/v1/orgs/${org.slug}/events?${search}`;
      const now = new Date();
      const query = searchQuery(scope, params, now).toSQL();
      let rows = 0;
      const api = await timed(async () => {
        const response = await fetch(endpoint, { headers: { authorization: `Bearer ${key.secret}` } });
        if (!response.ok) throw new Error(`${c.name}: HTTP ${response.status} ${await response.text()}`);
        rows = ((await response.json()) as { data: unknown[] }).data.length;
      });
      const sqlTimes = await timed(() => direct.unsafe(query.sql, query.params as never[]));
      const target95 = c.kind === "free text" ? 300 : 50;
      results.push({
        case: c.name,
        rows,
        "api p50 ms": api.p50.toFixed(1),
        "api p95 ms": api.p95.toFixed(1),
        "sql p50 ms": sqlTimes.p50.toFixed(1),
        "sql p95 ms": sqlTimes.p95.toFixed(1),
        "api/sql p95": (api.p95 / sqlTimes.p95).toFixed(2),
        "target p95": `${target95} ms`,
        ok: api.p95 <= target95 && api.p95 <= 1.5 * sqlTimes.p95 ? "yes" : api.p95 <= target95 ? "latency ok" : "no",
      });
      console.log(`  ${c.name}: api p95 ${api.p95.toFixed(1)} ms, sql p95 ${sqlTimes.p95.toFixed(1)} ms`);
    }
  } finally {
    await direct`delete from api_keys where id = ${row!.id}`;
    await server?.stop();
  }
  console.table(results);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await direct.end();
    const { closeDb } = await import("../db/client");
    await closeDb();
  });
