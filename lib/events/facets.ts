import "server-only";
import { and, eq, lt, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { actionStats } from "@/db/schema";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { allSchemas } from "@/lib/events/schema-check/registry";
import { countsByKey, rollupFilter, type CountKey } from "./hourly-counts";
import { parseQuery } from "./query-language";
import { alignedStart, BUCKET_ORIGIN, COUNT_LIMITS, countMatches, sampledTotal, type CountLimits } from "./sampled-counts";
import { firstMatches, matchingEvents, type EventFilter, type MatchingEvents } from "./search";
import { occurredSince } from "./store/visible-events";

/*
 * What the viewer shows around the table: the actions to filter by, how many
 * events match, and how they spread over time. Every count reads from
 * matchingEvents, so it starts from visibleEvents(scope): a member's
 * figures only ever count their own events.
 */

/** How many of the newest matching events the top values look at: bounded work on any log. */
export const ACTION_SAMPLE = 50_000;

export type ActionFacet = { action: string; label: string | null; count: number };
export type ActionFacets = {
  actions: ActionFacet[];
  /** True when the counts are estimates from a bounded sample (more than EXACT_COUNT_LIMIT events matched a filter the rollups cannot serve). */
  sampled: boolean;
};

/**
 * The actions to offer as filters: every action a schema defines, every action
 * the organization has received (whole-log readers only: a member learns no
 * other person's actions), and how many events match the filter without its
 * own action terms per action, so that picking one action still shows the
 * others' counts: exact, or estimated (`sampled`) at a bounded cost past
 * EXACT_COUNT_LIMIT matches of a filter the rollups cannot serve.
 */
export async function actionFacets(scope: Scope, filter: EventFilter, now = new Date(), limits = COUNT_LIMITS): Promise<ActionFacets> {
  const matching = matchingEvents(scope, filter, now, ["action"]);
  const { events, where } = matching;
  const rollup = rollupFilter(scope, filter.q, ["action"]);
  const [counted, schemas, seen] = await Promise.all([
    // Exact counts from the rollups where the filter allows; else counted up to limits.exact, estimated past it.
    rollup
      ? countsByKey(events, scope.organization.id, where, rollup, { from: filter.from, to: filter.to, now }, byAction(events)).then((counts) => ({ counts, sampled: false }))
      : uncountedByAction(scope, filter, matching, now, limits),
    allSchemas(),
    can(scope, "events.read.all")
      ? db().select({ action: actionStats.action }).from(actionStats).where(eq(actionStats.organizationId, scope.organization.id))
      : Promise.resolve([]),
  ]);
  const facets = new Map<string, ActionFacet>();
  const labels = new Map<string, string>();
  for (const schema of schemas) if (schema.display.label) labels.set(schema.action, schema.display.label);
  for (const { action } of [...schemas, ...seen]) facets.set(action, { action, label: labels.get(action) ?? null, count: 0 });
  for (const [action, count] of counted.counts) facets.set(action, { action, label: labels.get(action) ?? null, count });
  const actions = [...facets.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action));
  return { actions, sampled: counted.sampled };
}

/** Action counts of a filter the rollups cannot serve: exact up to limits.exact matches, else estimated from the bounded sample. */
async function uncountedByAction(scope: Scope, filter: EventFilter, matching: MatchingEvents, now: Date, limits: CountLimits): Promise<{ counts: Map<string, number>; sampled: boolean }> {
  const counts = new Map<string, number>();
  const { rows, sample } = await countMatches(scope, filter, now, ["action"], () => sampleRange(matching, filter, now), limits);
  if (rows) {
    for (const { action } of rows) counts.set(action, (counts.get(action) ?? 0) + 1);
    return { counts, sampled: false };
  }
  for (const cell of sample.cells.values()) for (const [action, n] of cell) counts.set(action, (counts.get(action) ?? 0) + n);
  for (const [action, n] of counts) counts.set(action, Math.round(n));
  return { counts, sampled: !sample.exact };
}

/** Where a filter's range starts: its `from`, else the oldest matching event (else a day before now). */
async function rangeStart(matching: MatchingEvents, filter: EventFilter, now: Date): Promise<Date> {
  if (filter.from) return filter.from;
  const { events } = matching;
  const [oldest] = await firstMatches<{ occurredAt: Date }>(matching, { occurredAt: events.occurredAt, id: events.id }, "asc", 1);
  return oldest?.occurredAt ?? new Date(now.getTime() - 86_400_000);
}

const spanOf = (from: Date, filter: EventFilter, now: Date) => Math.max((filter.to ?? now).getTime() - from.getTime(), 60_000);

/** The range a sample of the filter covers, in the buckets the histogram of the same filter has (so the two share one read). */
async function sampleRange(matching: MatchingEvents, filter: EventFilter, now: Date) {
  const from = await rangeStart(matching, filter, now);
  return { from, bucketSeconds: bucketSeconds(spanOf(from, filter, now)), now };
}

/** Counts per action: estimateTotal sums the same key, so with no action terms it shares actionFacets' reads (lib/events/rollup-cache.ts). */
const byAction = (events: MatchingEvents["events"]): CountKey => ({ events: sql<string>`${events.action}`, rollup: (_period, action) => sql<string>`${action}`, days: true });

export type TotalEstimate = { count: number; exact: boolean; method: "count" | "estimate" };

/**
 * How many events match: exactly from the rollups where the filter allows;
 * else counted exactly up to limits.exact, and past that estimated from the
 * bounded sample the histogram takes (the same statement, read once while both
 * run), which says so.
 */
export async function estimateTotal(scope: Scope, filter: EventFilter, now = new Date(), limits = COUNT_LIMITS): Promise<TotalEstimate> {
  const matching = matchingEvents(scope, filter, now);
  const { events, where } = matching;
  const rollup = rollupFilter(scope, filter.q);
  if (rollup) {
    const counts = await countsByKey(events, scope.organization.id, where, rollup, { from: filter.from, to: filter.to, now }, byAction(events));
    return { count: [...counts.values()].reduce((sum, n) => sum + n, 0), exact: true, method: "count" };
  }
  const counted = await countMatches(scope, filter, now, [], () => sampleRange(matching, filter, now), limits);
  if (counted.rows) return { count: counted.rows.length, exact: true, method: "count" };
  const count = Math.round(sampledTotal(counted.sample));
  return counted.sample.exact ? { count, exact: true, method: "count" } : { count: Math.max(count, counted.atLeast), exact: false, method: "estimate" };
}

/** Bucket widths, in seconds: the narrowest that splits the range into at most MAX_BUCKETS wins. */
const BUCKET_SECONDS = [60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800];
const WEEK_SECONDS = 604_800;
/** The most buckets a range is split into (one more when its start is not on a bucket edge), whatever the caller asks. */
export const MAX_BUCKETS = 180;
// Buckets are aligned to UTC midnight of a Monday (BUCKET_ORIGIN), so the same range always gets the same edges.

export function bucketSeconds(spanMs: number): number {
  const listed = BUCKET_SECONDS.find((seconds) => spanMs / (seconds * 1000) <= MAX_BUCKETS);
  if (listed) return listed;
  // Past the listed widths: whole weeks (still Monday-aligned), as few as keep the count within MAX_BUCKETS.
  return Math.ceil(spanMs / MAX_BUCKETS / (WEEK_SECONDS * 1000)) * WEEK_SECONDS;
}

export type Histogram = {
  from: string;
  to: string;
  bucket_seconds: number;
  /** Every bucket from `from` to `to`, empty ones included, oldest first; `start` is the bucket's first instant. */
  buckets: { start: string; count: number }[];
  /** The sum of the buckets: the number of matching events in the range (an estimate when `exact` is false). */
  total: number;
  /** False when the counts are estimates from a bounded sample (a filter the rollups cannot serve, matching more than EXACT_COUNT_LIMIT events). */
  exact: boolean;
};

/**
 * Counts of matching events over the filter's range, in buckets of
 * date_bin(width). Without `from` the range starts at the oldest matching
 * event; without `to` it ends now (a few minutes of clock skew past now count
 * in the last bucket). Exact from the rollups where the filter allows, else
 * exact up to limits.exact matching events, else estimated from a bounded
 * sample (lib/events/sampled-counts.ts) and marked `exact: false`.
 */
export async function histogram(scope: Scope, filter: EventFilter, now = new Date(), limits = COUNT_LIMITS): Promise<Histogram> {
  const matching = matchingEvents(scope, filter, now);
  const { events, where } = matching;
  const from = await rangeStart(matching, filter, now);
  const to = filter.to ?? now;
  const seconds = bucketSeconds(spanOf(from, filter, now));
  const width = seconds * 1000;
  const first = alignedStart(from.getTime(), seconds);
  const bucketStart = (at: SQL | typeof events.occurredAt) =>
    sql<string>`to_char(date_bin(${`${seconds} seconds`}::interval, ${at}, ${BUCKET_ORIGIN}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const conditions: (SQL | undefined)[] = [where, filter.from ? undefined : occurredSince(events, from), filter.to ? lt(events.occurredAt, filter.to) : undefined];
  // Buckets of whole hours (days), over a filter the rollups can serve, cost the hours (days) in the range; others are counted or sampled.
  const rollup = seconds % 3600 === 0 ? rollupFilter(scope, filter.q) : null;
  const key: CountKey = { events: bucketStart(events.occurredAt), rollup: (period) => bucketStart(sql`${period}`), days: seconds % 86_400 === 0 };
  const counts = new Map<number, number>();
  const add = (start: number, n: number) => counts.set(start, (counts.get(start) ?? 0) + n);
  let exact = true;
  if (rollup) {
    for (const [start, n] of await countsByKey(events, scope.organization.id, and(...conditions), rollup, { from, to: filter.to, now }, key)) add(Date.parse(start), n);
  } else {
    // The range is already in `where` (from: every match is at or after the oldest): the statements estimateTotal and actionFacets send too.
    const { rows, sample } = await countMatches(scope, filter, now, [], async () => ({ from, bucketSeconds: seconds, now }), limits);
    if (rows) {
      for (const { occurredAt } of rows) add(alignedStart(occurredAt.getTime(), seconds), 1);
    } else {
      for (const [start, byAction] of sample.cells) for (const n of byAction.values()) add(alignedStart(start, seconds), n);
      for (const [start, n] of counts) counts.set(start, Math.round(n));
      exact = sample.exact;
    }
  }
  const buckets: Histogram["buckets"] = [];
  const lastStart = first + Math.max(0, Math.ceil((to.getTime() - first) / width) - 1) * width;
  let total = 0;
  for (let start = first; start <= lastStart; start += width) {
    buckets.push({ start: new Date(start).toISOString(), count: counts.get(start) ?? 0 });
  }
  for (const [start, count] of counts) {
    total += count;
    if (start > lastStart) buckets.at(-1)!.count += count;
  }
  return { from: from.toISOString(), to: to.toISOString(), bucket_seconds: seconds, buckets, total, exact };
}

/** How many values each top list holds. */
export const TOP_VALUES = 10;

export type TopEntity = { type: string; id: string; name: string | null; count: number };
export type TopIp = { ip: string; count: number };
export type TopValues = {
  actors: TopEntity[];
  ips: TopIp[];
  targets: TopEntity[];
  /** True when a sample was full: the counts are of the newest ACTION_SAMPLE matching events, not of all. */
  sampled: boolean;
};

/** The top lists, each named by the query key its values filter by (a list counts as if that key's terms were not set). */
const TOP_FACETS = ["actor", "ip", "target"] as const;
type TopFacet = (typeof TOP_FACETS)[number];

/**
 * The statements topValues runs: one scan of the newest ACTION_SAMPLE matching
 * events per filter its lists need. A list counts as if its own key's terms
 * were not set; lists whose key the query does not use share the full filter,
 * so the default view is one scan for all three.
 */
export function topValuesStatements(scope: Scope, filter: EventFilter, now = new Date()): SQL[] {
  // The full filter first: a bad query is the 400 naming its terms before anything else runs.
  const full = matchingEvents(scope, filter, now);
  const used = new Set(filter.q ? parseQuery(filter.q).terms.map((t) => t.key) : []);
  const groups = new Map<TopFacet | null, TopFacet[]>();
  for (const facet of TOP_FACETS) {
    const omitted = used.has(facet) ? facet : null;
    groups.set(omitted, [...(groups.get(omitted) ?? []), facet]);
  }
  return [...groups].map(([omitted, facets]) => sampleCounts(omitted ? matchingEvents(scope, filter, now, [omitted]) : full, facets));
}

/** One bounded scan, newest first on the (organization, occurred_at) index, and the top values of `facets` in it. */
function sampleCounts({ events, where }: MatchingEvents, facets: TopFacet[]): SQL {
  const lists: Record<TopFacet, SQL> = {
    actor: sql`(select 'actor', actor_type, actor_id, max(actor_name), count(*)::int from newest group by actor_type, actor_id order by 5 desc, 2, 3 limit ${TOP_VALUES})`,
    ip: sql`(select 'ip', null, host(ip), null, count(*)::int from newest where ip is not null group by ip order by 5 desc, ip limit ${TOP_VALUES})`,
    // One row per target named: an event with three targets counts once for each.
    target: sql`(select 'target', t.type, t.id, max(t.name), count(*)::int from newest cross join lateral jsonb_to_recordset(newest.targets) as t(type text, id text, name text) group by t.type, t.id order by 5 desc, 2, 3 limit ${TOP_VALUES})`,
  };
  return sql`with newest as materialized (
      select ${events.actorType} as actor_type, ${events.actorId} as actor_id, ${events.actorName} as actor_name, ${events.ip} as ip, ${events.targets} as targets
      from ${events} where ${where ?? sql`true`}
      order by ${events.occurredAt} desc, ${events.id} desc
      limit ${ACTION_SAMPLE}
    )
    select 'sample' as facet, null as type, null as id, null as name, count(*)::int as count from newest
    ${sql.join(facets.map((facet) => sql` union all ${lists[facet]}`))}`;
}

type TopRow = { facet: "sample" | TopFacet; type: string | null; id: string | null; name: string | null; count: number };

/**
 * The most frequent actors, IP addresses and targets among the newest
 * ACTION_SAMPLE matching events (bounded work on any log), read through
 * matchingEvents, so a member counts only their own events.
 */
export async function topValues(scope: Scope, filter: EventFilter, now = new Date()): Promise<TopValues> {
  const results = await Promise.all(topValuesStatements(scope, filter, now).map((statement) => db().execute(statement)));
  const top: TopValues = { actors: [], ips: [], targets: [], sampled: false };
  for (const row of results.flatMap((rows) => rows as unknown as TopRow[])) {
    if (row.facet === "sample") top.sampled ||= row.count >= ACTION_SAMPLE;
    else if (row.facet === "ip") top.ips.push({ ip: row.id!, count: row.count });
    else (row.facet === "actor" ? top.actors : top.targets).push({ type: row.type!, id: row.id!, name: row.name, count: row.count });
  }
  // A union's branches keep their own order in practice, not by promise: most first, then by value.
  const byCount = <T extends { count: number }>(key: (v: T) => string) => (a: T, b: T) => b.count - a.count || key(a).localeCompare(key(b));
  top.actors.sort(byCount((a) => `${a.type}:${a.id}`));
  top.targets.sort(byCount((t) => `${t.type}:${t.id}`));
  top.ips.sort(byCount((i) => i.ip));
  return top;
}
