import "server-only";
import { and, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { TransactionSql } from "postgres";
import { db } from "@/db/client";
import { eventCountsDaily, eventCountsHourly, eventTargetCountsHourly } from "@/db/schema";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { parseQuery, type ActionTerm, type QueryKey, type TargetTerm } from "./query-language";
import { rollupsChanged, sharedRollupRead, sharedWhileRunning, statementKey } from "./rollup-cache";
import { occurredSince, type VisibleEvents } from "./store/visible-events";
import type { PreparedEvent } from "./types";

/*
 * The rollups: events per organization, action and UTC hour
 * (event_counts_hourly) and UTC day (event_counts_daily) of occurred_at, both
 * kept in the append's and the purge's transaction, so totals, action counts
 * and histograms cost the days and hours of a range, not its events. A
 * `target:type:id` view reads the same counts per target from
 * event_target_counts_hourly (lib/events/target-counts.ts).
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC hour an instant falls in, as event_counts_hourly keys it. */
export const hourOf = (at: Date): number => Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
const dayOf = (at: number): number => Math.floor(at / DAY_MS) * DAY_MS;

type Group = { period: number; action: string; count: number };

/** Events per (period, action), sorted so two writers of one organization take the rows in one order. */
function byPeriodAndAction(events: readonly { action: string; period: number; count?: number }[]): Group[] {
  const groups = new Map<string, Group>();
  for (const { action, period, count = 1 } of events) {
    const key = `${period} ${action}`;
    const group = groups.get(key);
    if (group) group.count += count;
    else groups.set(key, { period, action, count });
  }
  return [...groups.values()].sort((a, b) => a.period - b.period || (a.action < b.action ? -1 : 1));
}

const unnested = (tx: TransactionSql, groups: Group[]) =>
  tx`unnest(${tx.array(groups.map((g) => new Date(g.period).toISOString()))}::timestamptz[], ${tx.array(groups.map((g) => g.action))}::text[], ${tx.array(groups.map((g) => g.count))}::bigint[])`;

/**
 * Adds appended events to their hourly and daily counts in the append's
 * transaction: one statement for the whole group. The chain head's row lock,
 * taken first by every append to the organization, orders concurrent writers.
 */
export function addToEventCounts(tx: TransactionSql, organizationId: string, events: readonly PreparedEvent[]): Promise<unknown> {
  const groups = byPeriodAndAction(events.map((e) => ({ action: e.action, period: hourOf(e.occurredAt) })));
  // Before commit: a read racing the commit may keep the old counts, for at most the cache's TTL.
  rollupsChanged(organizationId);
  return tx`
    with u as (select * from ${unnested(tx, groups)} as u(hour, action, n)),
    hourly as (
      insert into event_counts_hourly (organization_id, hour, action, event_count)
      select ${organizationId}::uuid, hour, action, n from u
      on conflict (organization_id, hour, action) do update set event_count = event_counts_hourly.event_count + excluded.event_count
    )
    insert into event_counts_daily (organization_id, day, action, event_count)
    select ${organizationId}::uuid, date_trunc('day', hour, 'UTC'), action, sum(n) from u group by 2, 3 order by 2, 3
    on conflict (organization_id, day, action) do update set event_count = event_counts_daily.event_count + excluded.event_count`;
}

/** Takes purged events (each counting `count`, else one) out of their hourly and daily counts (retention), in the purge's transaction; rows that reach zero go. */
export async function subtractFromEventCounts(tx: TransactionSql, organizationId: string, events: readonly { action: string; occurred_at: Date; count?: number }[]): Promise<void> {
  if (events.length === 0) return;
  const hours = byPeriodAndAction(events.map((e) => ({ action: e.action, period: hourOf(e.occurred_at), count: e.count })));
  const days = byPeriodAndAction(hours.map((g) => ({ action: g.action, period: dayOf(g.period), count: g.count })));
  rollupsChanged(organizationId);
  // Serialized with appends and other purges of the organization by its row, locked first by the purge.
  await tx`
    update event_counts_hourly c set event_count = c.event_count - u.n from ${unnested(tx, hours)} as u(hour, action, n)
    where c.organization_id = ${organizationId} and c.hour = u.hour and c.action = u.action`;
  await tx`
    update event_counts_daily c set event_count = c.event_count - u.n from ${unnested(tx, days)} as u(day, action, n)
    where c.organization_id = ${organizationId} and c.day = u.day and c.action = u.action`;
  await tx`
    delete from event_counts_hourly c using ${unnested(tx, hours)} as u(hour, action, n)
    where c.organization_id = ${organizationId} and c.hour = u.hour and c.action = u.action and c.event_count <= 0`;
  await tx`
    delete from event_counts_daily c using ${unnested(tx, days)} as u(day, action, n)
    where c.organization_id = ${organizationId} and c.day = u.day and c.action = u.action and c.event_count <= 0`;
  rollupsChanged(organizationId);
}

/** What a rollup read filters on: action terms (none: every action) and, read from the target rollup, one target. */
export type RollupFilter = { actions: readonly ActionTerm[]; target: { type: string; id: string } | null };

/**
 * Where the rollups can stand in for counting events: a whole-log reader (a
 * member's counts are of their own events, which the rollups do not know) and
 * a query of positive action terms and at most one positive `target:type:id`
 * (two targets ORed would count an event naming both twice). Null when the
 * events must be counted.
 */
export function rollupFilter(scope: Scope, q: string | undefined, omitKeys: readonly QueryKey[] = []): RollupFilter | null {
  if (!can(scope, "events.read.all")) return null;
  const terms = q ? parseQuery(q).terms.filter((t) => !omitKeys.includes(t.key)) : [];
  const actions: ActionTerm[] = [];
  const targets: TargetTerm[] = [];
  for (const term of terms) {
    if (term.negated) return null;
    if (term.key === "action") actions.push(term);
    else if (term.key === "target" && term.targetId !== null) targets.push(term);
    else return null;
  }
  if (targets.length > 1) return null;
  const [target] = targets;
  return { actions, target: target ? { type: target.targetType, id: target.targetId! } : null };
}

function actionCondition(filter: RollupFilter, action: AnyPgColumn): SQL | undefined {
  if (filter.actions.length === 0) return undefined;
  return or(...filter.actions.map((t) => (t.match === "exact" ? eq(action, t.action) : sql`starts_with(${action}, ${t.action})`)));
}

/**
 * How to group the counts: the same key computed from an event and from a
 * rollup row (its hour or day, and action). `days`: the key of a whole day's
 * events is one key (a bucket of whole days, an action, a total), so daily rows can serve it.
 */
export type CountKey = { events: SQL<string>; rollup: (period: AnyPgColumn, action: AnyPgColumn) => SQL<string>; days: boolean };

/** Hours or days from `from` (none: the first) up to `to` (none: the last). */
export type Span = { from?: number; to?: number };

/** Selects of (key, n) from the rollup rows of these hours and days. */
function rollupParts(organizationId: string, filter: RollupFilter, key: CountKey, hours: Span[], days: Span | null): SQL[] {
  const part = (table: typeof eventCountsHourly | typeof eventCountsDaily | typeof eventTargetCountsHourly, period: AnyPgColumn, span: Span, target?: SQL) =>
    sql`select ${key.rollup(period, table.action)} as key, ${table.eventCount} as n from ${table} where ${and(
      eq(table.organizationId, organizationId),
      target,
      span.from !== undefined ? gte(period, new Date(span.from)) : undefined,
      span.to !== undefined ? lt(period, new Date(span.to)) : undefined,
      actionCondition(filter, table.action),
    )}`;
  const { target } = filter;
  const hourly = (span: Span) =>
    target
      ? part(eventTargetCountsHourly, eventTargetCountsHourly.hour, span, and(eq(eventTargetCountsHourly.targetType, target.type), eq(eventTargetCountsHourly.targetId, target.id)))
      : part(eventCountsHourly, eventCountsHourly.hour, span);
  return [...hours.map(hourly), ...(days ? [part(eventCountsDaily, eventCountsDaily.day, days)] : [])];
}

/** The statement summing the rollup rows of whole hours and whole days, per key (exported for its plan test). */
export function rollupStatement(organizationId: string, filter: RollupFilter, key: CountKey, hours: Span[], days: Span | null): SQL {
  return sql`select key, sum(n)::text as count from (${sql.join(rollupParts(organizationId, filter, key, hours, days), sql` union all `)}) as rollup group by key`;
}

/**
 * Matching events counted per key, exactly, at a cost that grows with the
 * days and hours in the range rather than the events: whole days come from
 * event_counts_daily (when the key allows), the other whole hours from
 * event_counts_hourly, and only the partial hours at the edges are counted
 * from the events. An open range's current hour (and any events dated after
 * `now`) comes from event_counts_hourly too, read afresh each time.
 * `where` is the full condition on `events` (query, from, to; the scope is in `events`).
 */
export async function countsByKey(
  events: VisibleEvents,
  organizationId: string,
  where: SQL | undefined,
  filter: RollupFilter,
  range: { from?: Date; to?: Date; now: Date },
  key: CountKey,
): Promise<Map<string, number>> {
  const fromHour = range.from ? Math.ceil(range.from.getTime() / HOUR_MS) * HOUR_MS : undefined;
  const toHour = hourOf(range.to ?? range.now);
  const counts = new Map<string, number>();
  const add = (rows: Iterable<[string, number]>) => {
    for (const [k, n] of rows) counts.set(k, (counts.get(k) ?? 0) + n);
  };
  // The events of each part (a range's edges) counted per key, and the rollup rows of `liveHours` (not cached), in one statement: a union of index range reads.
  const uncached = (parts: (SQL | undefined)[], liveHours: Span[] = []): Promise<[string, number][]> => {
    const selects = [
      ...parts.map((condition) => sql`select ${key.events} as key, 1 as n from ${events} where ${and(where, condition) ?? sql`true`}`),
      ...(liveHours.length > 0 ? rollupParts(organizationId, filter, key, liveHours, null) : []),
    ];
    const statement = sql`select key, sum(n)::text as count from (${sql.join(selects, sql` union all `)}) as matched group by key`;
    return sharedWhileRunning(statementKey(statement), async () => {
      const rows = (await db().execute(statement)) as unknown as { key: string; count: string }[];
      return rows.map((r): [string, number] => [r.key, Number(r.count)]);
    });
  };
  if (fromHour !== undefined && fromHour >= toHour) {
    add(await uncached([undefined]));
    return counts;
  }
  let days: Span | null = null;
  let hours: Span[] = [{ from: fromHour, to: toHour }];
  // The target rollup is kept by the hour only.
  if (key.days && !filter.target) {
    const fromDay = fromHour === undefined ? undefined : Math.ceil(fromHour / DAY_MS) * DAY_MS;
    const toDay = dayOf(toHour);
    if (fromDay === undefined || fromDay < toDay) {
      days = { from: fromDay, to: toDay };
      hours = [...(fromHour !== undefined && fromHour < fromDay! ? [{ from: fromHour, to: fromDay! }] : []), ...(toDay < toHour ? [{ from: toDay, to: toHour }] : [])];
    }
  }
  const statement = rollupStatement(organizationId, filter, key, hours, days);
  const rollup = () => {
    const query = db().execute(statement) as unknown as Promise<{ key: string; count: string }[]>;
    return query.then((rows) => new Map(rows.map((r) => [r.key, Number(r.count)])));
  };
  // The partial hour before the first whole one (if the range starts inside an hour) is counted from the events. So is the
  // rest of a range that ends inside an hour; an open range's current and later hours are read from the rollups, which the
  // append's transaction keeps exact, but past the cache: they change with every append.
  const head = fromHour !== undefined && range.from!.getTime() < fromHour ? [lt(events.occurredAt, new Date(fromHour))] : [];
  const [edges, whole] = await Promise.all([
    range.to ? uncached([...head, occurredSince(events, new Date(toHour))]) : uncached(head, [{ from: toHour }]),
    hours.length > 0 || days ? sharedRollupRead(organizationId, statementKey(statement), rollup) : Promise.resolve(new Map<string, number>()),
  ]);
  add(edges);
  add(whole);
  return counts;
}
