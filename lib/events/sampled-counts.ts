import "server-only";
import { and, desc, lt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import type { Scope } from "@/lib/access/scope";
import { countsByKey, rollupFilter } from "./hourly-counts";
import { sharedWhileRunning, statementKey } from "./rollup-cache";
import type { QueryKey } from "./query-language";
import { matchingEvents, type EventFilter, type MatchingEvents } from "./search";
import { occurredSince } from "./store/visible-events";

/*
 * Counts for a filter the hourly rollups cannot serve (free text, actor, a
 * member's own events …), at a cost that does not grow with the matches:
 *
 * 1. cappedMatches: the newest `limit + 1` matching events, ordered as the
 *    (organization_id, occurred_at desc, id desc) index is. With the ORDER BY
 *    and a LIMIT the planner either walks that index and stops after `limit`
 *    matches (a common word) or reads a rare value's few rows through its own
 *    index; without them it reads every match (or the whole table). Up to
 *    `limit` matches are counted exactly from these rows.
 * 2. sampledCounts, past that (or first, when the planner expects many
 *    matches: countMatches): the range is cut into cells (whole hours where
 *    the buckets allow); from each cell the newest `m` events the caller may
 *    see are read through the time index, whatever they match, so the work is
 *    cells × m rows on a log of any size. A cell read to its end is counted
 *    exactly. Else its matches are scaled by how many events the cell holds:
 *    from the hourly rollups for a whole-log reader (exact), else (a member,
 *    whose own events the rollups do not know, or cells shorter than an hour)
 *    from the time the m newest events span. Cells of an hour keep a bucket's
 *    estimate from resting on its last minutes alone (traffic changes over a
 *    day, a 6-hour bucket's newest events are not a fair sample of it).
 *    The result is an estimate and says so.
 *
 * Why not TABLESAMPLE: it samples pages of the whole table (every
 * organization), so its cost follows the table, and it cannot apply the
 * caller's scope before sampling. A member's cells are not scaled by the
 * rollups: those count the organization's events, which the member may not
 * see (nor learn the volume of).
 *
 * A member's sample reads their own events (visibleEvents: actor or target),
 * which the time index finds by filtering the organization's, so its cells are
 * the buckets and it reads MEMBER_SAMPLE_SHARE of the rows; its cost follows
 * the member's share of the organization's events in the range. It only runs
 * for a member with more matches in the range than the exact limit, or than
 * the planner expects.
 */

/** Up to this many events are read by one sample, over all its cells. */
export const SAMPLE_ROWS = 24_000;
/** Up to this many matching events are counted exactly; past it an estimate stands in (and says so). */
export const EXACT_COUNT_LIMIT = 10_000;
/**
 * The sample goes first when the planner expects this many times the exact
 * limit of matches or more: its estimates are rough, and reading the newest
 * matches first costs little when they turn out fewer.
 */
const SAMPLE_FIRST = 2;
/**
 * A sample that estimates at least this many times the exact limit is taken
 * as it is, without reading the newest matches to see whether fewer match:
 * at the limit, the sample's estimate is within a few percent.
 */
const SURELY_PAST = 1.5;

/** The bounds of counting a filter the rollups cannot serve; tests pass smaller ones. */
export type CountLimits = { exact: number; sampleRows: number };
export const COUNT_LIMITS: CountLimits = { exact: EXACT_COUNT_LIMIT, sampleRows: SAMPLE_ROWS };
/** The most cells a range is cut into: each costs an index descent per partition of audit_events. */
export const MAX_CELLS = 256;
/**
 * The part of SAMPLE_ROWS a member's sample reads. Their visible events are a
 * share of the organization's; finding `m` of them in a cell walks about
 * m / share of the organization's events there (or their own indexes), so a
 * member's sample costs more per row than a whole-log reader's.
 */
const MEMBER_SAMPLE_SHARE = 0.25;
/** The fewest events read from one cell, however many cells. */
const MIN_CELL_ROWS = 32;
/** Cell widths tried, narrowest first, when buckets are whole hours (each divides the wider ones and a day). */
const CELL_SECONDS = [3600, 10_800, 21_600, 43_200, 86_400];

export const BUCKET_ORIGIN = "2001-01-01T00:00:00Z";
const ORIGIN_MS = Date.parse(BUCKET_ORIGIN);

export type MatchRow = { occurredAt: Date; action: string };

/**
 * The newest `limit + 1` matching events (their time and action): more than
 * `limit` rows means "more than can be counted exactly". Identical reads in
 * flight at once (a view's total, histogram and facets) run once.
 */
export function cappedMatches(matching: MatchingEvents, limit: number): Promise<MatchRow[]> {
  const query = cappedQuery(matching, limit);
  return sharedWhileRunning(statementKey(query.getSQL()), async () => await query);
}

/** cappedMatches' query (exported for its plan test). */
export function cappedQuery({ events, where }: MatchingEvents, limit: number) {
  return db()
    .select({ occurredAt: events.occurredAt, action: events.action })
    .from(events)
    .where(where)
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(limit + 1);
}

/** The start of the `seconds`-wide bucket `at` falls in, aligned as date_bin(…, BUCKET_ORIGIN) aligns it. */
export const alignedStart = (at: number, seconds: number): number => ORIGIN_MS + Math.floor((at - ORIGIN_MS) / (seconds * 1000)) * seconds * 1000;

/** The cell width for buckets of `bucketSeconds` over [from, end): whole hours where the buckets are, as narrow as MAX_CELLS allows. */
export function cellSeconds(bucketSeconds: number, from: number, end: number): number {
  if (bucketSeconds % 3600 !== 0) return bucketSeconds;
  const fits = (seconds: number) => Math.ceil((end - alignedStart(from, seconds)) / (seconds * 1000)) <= MAX_CELLS;
  return CELL_SECONDS.find((seconds) => bucketSeconds % seconds === 0 && fits(seconds)) ?? bucketSeconds;
}

export type SampledCounts = {
  /** Estimated matching events per cell start (ms) and action. */
  cells: Map<number, Map<string, number>>;
  cellSeconds: number;
  /** True when every cell was read to its end: the counts are then exact. */
  exact: boolean;
};

type SampleRow = { cell: number; action: string; seen: number; matched: number; oldest: number };

type SampleRange = { from: Date; bucketSeconds: number; now: Date };

/**
 * The sample's statement and cells (exported for its plan test): for each
 * cell, the newest `perCell` events the scope may see, read through the time
 * index, with how many of them match per action.
 */
export function sampleStatement(scope: Scope, filter: EventFilter, range: SampleRange, omitKeys: readonly QueryKey[] = [], sampleRows = SAMPLE_ROWS) {
  const matching = matchingEvents(scope, filter, range.now, omitKeys);
  const { events, where } = matching;
  const from = range.from.getTime();
  const to = filter.to?.getTime();
  const end = to ?? range.now.getTime();
  const rollup = rollupFilter(scope, undefined);
  // A member's cells are walked through their own events (actor or target), which the time index finds only by
  // filtering the organization's: fewer and smaller cells keep that walk short (see MEMBER_SAMPLE_SHARE).
  const seconds = rollup ? cellSeconds(range.bucketSeconds, from, end) : range.bucketSeconds;
  const rows = rollup ? sampleRows : Math.floor(sampleRows * MEMBER_SAMPLE_SHARE);
  const width = seconds * 1000;
  const first = alignedStart(from, seconds);
  const count = Math.max(1, Math.ceil((end - first) / width));
  const starts: number[] = [];
  const stops: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    starts.push(Math.max(first + i * width, from));
    // The last cell of an open range has no end: events dated past now (clock skew) count in it.
    stops.push(i === count - 1 ? (to ?? null) : first + (i + 1) * width);
  }
  const perCell = Math.max(MIN_CELL_ROWS, Math.floor(rows / count));
  const list = (values: (number | null)[]) => `{${values.map((v) => (v === null ? "infinity" : new Date(v).toISOString())).join(",")}}`;
  // The lateral subquery names its rows `events`, as visibleEvents does, so `where` (written against `events`) applies to them.
  const statement = sql`select c.i::int as cell, events.action as action, count(*)::int as seen,
      count(*) filter (where ${where ?? sql`true`})::int as matched,
      (extract(epoch from min(events.occurred_at)) * 1000)::float8 as oldest
    from unnest(${list(starts)}::timestamptz[], ${list(stops)}::timestamptz[]) with ordinality as c(start, stop, i)
    cross join lateral (
      select * from ${events}
      where ${events.occurredAt} >= c.start and ${events.occurredAt} < c.stop
      order by ${events.occurredAt} desc, ${events.id} desc
      limit ${perCell}
    ) as events
    group by 1, 2`;
  return { statement, matching, rollup, seconds, first, count, starts, stops, perCell, end };
}

/**
 * Matching events of `filter` (less its `omitKeys` terms) per cell of the range
 * [from, to) (to: open, when the filter has none, so events dated after `now`
 * count in the last cell), estimated from a bounded sample as described above.
 * Every event read comes through matchingEvents, so visibleEvents(scope).
 */
export async function sampledCounts(scope: Scope, filter: EventFilter, range: SampleRange, omitKeys: readonly QueryKey[] = [], sampleRows = SAMPLE_ROWS): Promise<SampledCounts> {
  const { statement, matching, rollup, seconds, first, count, starts, stops, perCell, end } = sampleStatement(scope, filter, range, omitKeys, sampleRows);
  const { events } = matching;
  const width = seconds * 1000;
  const inRange = and(occurredSince(events, range.from), filter.to ? lt(events.occurredAt, filter.to) : undefined);
  const bucketKey = sql<string>`to_char(date_bin(${`${seconds} seconds`}::interval, ${events.occurredAt}, ${BUCKET_ORIGIN}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const [rows, totals] = await Promise.all([
    sharedWhileRunning(statementKey(statement), async () => (await db().execute(statement)) as unknown as SampleRow[]),
    // A whole-log reader's events per cell, exactly, from the rollups (cells of whole hours only).
    rollup && seconds % 3600 === 0
      ? countsByKey(events, scope.organization.id, inRange, rollup, { from: range.from, to: filter.to, now: range.now }, {
          events: bucketKey,
          rollup: (period) => sql<string>`to_char(date_bin(${`${seconds} seconds`}::interval, ${period}, ${BUCKET_ORIGIN}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
          days: seconds % 86_400 === 0,
        })
      : Promise.resolve(null),
  ]);
  const cellTotals = new Map<number, number>();
  for (const [key, n] of totals ?? []) {
    const i = Math.min(count - 1, Math.max(0, Math.floor((Date.parse(key) - first) / width)));
    cellTotals.set(i, (cellTotals.get(i) ?? 0) + n);
  }
  const seen = new Map<number, { seen: number; oldest: number }>();
  for (const row of rows) {
    const i = Number(row.cell) - 1;
    const s = seen.get(i) ?? { seen: 0, oldest: Infinity };
    s.seen += Number(row.seen);
    s.oldest = Math.min(s.oldest, Number(row.oldest));
    seen.set(i, s);
  }
  const cells = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const matched = Number(row.matched);
    if (matched === 0) continue;
    const i = Number(row.cell) - 1;
    const { seen: n, oldest } = seen.get(i)!;
    let scale = 1;
    if (n >= perCell) {
      // Not read to its end: scale by the cell's events, known (rollups) or from the span its newest `n` cover.
      const stop = stops[i] ?? Math.max(end, starts[i]! + 1);
      const spanned = stop - oldest;
      const estimated = spanned > 0 ? (n * (stop - starts[i]!)) / spanned : n;
      scale = Math.max(cellTotals.get(i) ?? estimated, n) / n;
    }
    const counts = cells.get(starts[i]!) ?? new Map<string, number>();
    counts.set(row.action, (counts.get(row.action) ?? 0) + matched * scale);
    cells.set(starts[i]!, counts);
  }
  const exact = [...seen.values()].every(({ seen: n }) => n < perCell);
  return { cells, cellSeconds: seconds, exact };
}

/**
 * A filter's matches as counted: every one read (`rows`, exact), or estimated
 * from a sample; `atLeast` is a floor the rows read proved (more than the
 * exact limit), which the estimate may fall short of.
 */
export type MatchCounts = { rows: MatchRow[]; sample?: undefined } | { rows?: undefined; sample: SampledCounts; atLeast: number };

/** The matches a sample estimates over its whole range. */
export const sampledTotal = (sample: SampledCounts) => [...sample.cells.values()].reduce((sum, cell) => [...cell.values()].reduce((s, n) => s + n, sum), 0);

/**
 * The matches of a filter the rollups cannot serve, at a bounded cost: the
 * newest limits.exact + 1 (cappedMatches), counted exactly when that is all;
 * else the sample. A common word's newest 10,001 matches cost a walk through
 * tens of thousands of events, on top of the sample it needs anyway; so when
 * the planner expects SAMPLE_FIRST × limits.exact matches or more (EXPLAIN: no
 * rows read), the sample goes first, and only one that estimates fewer than
 * SURELY_PAST × limits.exact reads the newest matches after all. The plan only
 * picks the order; every figure comes from rows read. `range` gives the
 * sample's range (its `now` the same), asked for only when one is taken.
 */
export async function countMatches(
  scope: Scope,
  filter: EventFilter,
  now: Date,
  omitKeys: readonly QueryKey[],
  range: () => Promise<SampleRange>,
  limits: CountLimits,
): Promise<MatchCounts> {
  // Built here from the same filter and omitted keys as the sample's, so the two count the same matches.
  const matching = matchingEvents(scope, filter, now, omitKeys);
  let sample: SampledCounts | undefined;
  if ((await plannedMatches(matching)) >= limits.exact * SAMPLE_FIRST) {
    sample = await sampledCounts(scope, filter, await range(), omitKeys, limits.sampleRows);
    if (sample.exact || sampledTotal(sample) >= limits.exact * SURELY_PAST) return { sample, atLeast: 0 };
  }
  const rows = await cappedMatches(matching, limits.exact);
  if (rows.length <= limits.exact) return { rows };
  return { sample: sample ?? (await sampledCounts(scope, filter, await range(), omitKeys, limits.sampleRows)), atLeast: rows.length };
}

/** How many rows the planner expects the filter to match (EXPLAIN, which reads none); shared by the reads in flight. */
async function plannedMatches({ events, where }: MatchingEvents): Promise<number> {
  const statement = sql`explain (format json) select 1 from ${events} where ${where ?? sql`true`}`;
  const rows = await sharedWhileRunning(statementKey(statement), async () => (await db().execute(statement)) as unknown as { "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[]);
  return rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0;
}
