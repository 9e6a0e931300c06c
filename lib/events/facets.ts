import "server-only";
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { actionStats, eventCountsHourly } from "@/db/schema";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { allSchemas } from "@/lib/events/schema-check/registry";
import { countsByKey, hourlyCountsFilter } from "./hourly-counts";
import { matchingEvents, type EventFilter } from "./search";

/*
 * What the viewer shows around the table: the actions to filter by, how many
 * events match, and how they spread over time. Every count reads from
 * matchingEvents, so it starts from visibleEvents(scope): a member's
 * figures only ever count their own events.
 */

/** How many of the newest matching events the action counts look at: bounded work on any log. */
export const ACTION_SAMPLE = 50_000;
/** Up to this many matching events are counted exactly; past it the planner's estimate stands in. */
export const EXACT_COUNT_LIMIT = 10_000;

export type ActionFacet = { action: string; label: string | null; count: number };
export type ActionFacets = {
  actions: ActionFacet[];
  /** True when more events matched than were sampled: the counts are of the newest ACTION_SAMPLE. */
  sampled: boolean;
};

/**
 * The actions to offer as filters: every action a schema defines, every action
 * the organization has received (whole-log readers only: a member learns no
 * other person's actions), and the counts among the newest events that match
 * the filter without its own action terms, so that picking one action still
 * shows the others' counts.
 */
export async function actionFacets(scope: Scope, filter: EventFilter, now = new Date()): Promise<ActionFacets> {
  const { events, where } = matchingEvents(scope, filter, now, ["action"]);
  const hourly = hourlyCountsFilter(scope, filter.q, ["action"]);
  const newest = db()
    .select({ action: events.action })
    .from(events)
    .where(where)
    .orderBy(sql`${events.occurredAt} desc`, sql`${events.id} desc`)
    .limit(ACTION_SAMPLE)
    .as("newest");
  const [counted, schemas, seen] = await Promise.all([
    // Exact counts from the hourly counts where the filter allows; else the newest ACTION_SAMPLE events.
    hourly
      ? countsByKey(events, scope.organization.id, where, hourly, { from: filter.from, to: filter.to, now }, { events: sql<string>`${events.action}`, hours: sql<string>`${eventCountsHourly.action}` }).then((counts) =>
          [...counts].map(([action, count]) => ({ action, count })),
        )
      : db()
          .select({ action: newest.action, count: sql<number>`count(*)::int` })
          .from(newest)
          .groupBy(newest.action),
    allSchemas(),
    can(scope, "events.read.all")
      ? db().select({ action: actionStats.action }).from(actionStats).where(eq(actionStats.organizationId, scope.organization.id))
      : Promise.resolve([]),
  ]);
  const facets = new Map<string, ActionFacet>();
  const labels = new Map<string, string>();
  for (const schema of schemas) if (schema.display.label) labels.set(schema.action, schema.display.label);
  for (const { action } of [...schemas, ...seen]) facets.set(action, { action, label: labels.get(action) ?? null, count: 0 });
  let total = 0;
  for (const { action, count } of counted) {
    facets.set(action, { action, label: labels.get(action) ?? null, count });
    total += count;
  }
  const actions = [...facets.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action));
  return { actions, sampled: !hourly && total >= ACTION_SAMPLE };
}

export type TotalEstimate = { count: number; exact: boolean; method: "count" | "estimate" };

/**
 * How many events match: exactly from the hourly counts where the filter
 * allows; else counted exactly up to EXACT_COUNT_LIMIT (a bounded scan), and
 * beyond that asked of the planner (EXPLAIN), which costs nothing on a log of
 * any size but is an estimate, and says so.
 */
export async function estimateTotal(scope: Scope, filter: EventFilter, now = new Date()): Promise<TotalEstimate> {
  const { events, where } = matchingEvents(scope, filter, now);
  const hourly = hourlyCountsFilter(scope, filter.q);
  if (hourly) {
    const counts = await countsByKey(events, scope.organization.id, where, hourly, { from: filter.from, to: filter.to, now }, { events: sql<string>`'all'`, hours: sql<string>`'all'` });
    return { count: counts.get("all") ?? 0, exact: true, method: "count" };
  }
  const capped = db().select({ one: sql`1` }).from(events).where(where).limit(EXACT_COUNT_LIMIT + 1).as("capped");
  const [{ count }] = await db().select({ count: sql<number>`count(*)::int` }).from(capped);
  if (count <= EXACT_COUNT_LIMIT) return { count, exact: true, method: "count" };
  const rows = (await db().execute(sql`explain (format json) select 1 from ${events} where ${where ?? sql`true`}`)) as unknown as { "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[];
  const planned = Math.round(rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
  return { count: Math.max(planned, EXACT_COUNT_LIMIT + 1), exact: false, method: "estimate" };
}

/** Bucket widths, in seconds: the narrowest that splits the range into at most MAX_BUCKETS wins. */
const BUCKET_SECONDS = [60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800];
const WEEK_SECONDS = 604_800;
/** The most buckets a range is split into (one more when its start is not on a bucket edge), whatever the caller asks. */
export const MAX_BUCKETS = 180;
// Buckets are aligned to UTC midnight of a Monday, so the same range always gets the same edges.
const BUCKET_ORIGIN = "2001-01-01T00:00:00Z";

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
  /** The sum of the buckets: the exact number of matching events in the range. */
  total: number;
};

/**
 * Counts of matching events over the filter's range, in buckets of
 * date_bin(width). Without `from` the range starts at the oldest matching
 * event; without `to` it ends now (a few minutes of clock skew past now count
 * in the last bucket).
 */
export async function histogram(scope: Scope, filter: EventFilter, now = new Date()): Promise<Histogram> {
  const { events, where } = matchingEvents(scope, filter, now);
  let from = filter.from;
  if (!from) {
    const [oldest] = await db().select({ at: events.occurredAt }).from(events).where(where).orderBy(events.occurredAt).limit(1);
    from = oldest?.at ?? new Date(now.getTime() - 86_400_000);
  }
  const to = filter.to ?? now;
  const seconds = bucketSeconds(Math.max(to.getTime() - from.getTime(), 60_000));
  const width = seconds * 1000;
  const origin = Date.parse(BUCKET_ORIGIN);
  const first = origin + Math.floor((from.getTime() - origin) / width) * width;
  const bucketStart = (at: SQL | typeof events.occurredAt) =>
    sql<string>`to_char(date_bin(${`${seconds} seconds`}::interval, ${at}, ${BUCKET_ORIGIN}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const conditions: (SQL | undefined)[] = [where, filter.from ? undefined : gte(events.occurredAt, from), filter.to ? lt(events.occurredAt, filter.to) : undefined];
  // Buckets of whole hours, over a filter the hourly counts can serve, cost the hours in the range; others count the events.
  const hourly = seconds % 3600 === 0 ? hourlyCountsFilter(scope, filter.q) : null;
  const rows = hourly
    ? [...(await countsByKey(events, scope.organization.id, and(...conditions), hourly, { from, to: filter.to, now }, { events: bucketStart(events.occurredAt), hours: bucketStart(sql`${eventCountsHourly.hour}`) }))].map(([start, count]) => ({ start, count }))
    : await db()
        .select({ start: bucketStart(events.occurredAt), count: sql<number>`count(*)::int` })
        .from(events)
        .where(and(...conditions))
        .groupBy(sql`1`);
  const counts = new Map(rows.map((r) => [Date.parse(r.start), r.count]));
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
  return { from: from.toISOString(), to: to.toISOString(), bucket_seconds: seconds, buckets, total };
}
