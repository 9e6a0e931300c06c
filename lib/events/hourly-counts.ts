import "server-only";
import { and, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { db } from "@/db/client";
import { eventCountsHourly } from "@/db/schema";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { parseQuery, type ActionTerm, type QueryKey } from "./query-language";
import type { VisibleEvents } from "./store/visible-events";
import type { PreparedEvent } from "./types";

const HOUR_MS = 3_600_000;

/** The start of the UTC hour an instant falls in, as event_counts_hourly keys it. */
export const hourOf = (at: Date): number => Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;

/**
 * Adds appended events to their (hour, action) counts in the append's
 * transaction: one statement for the whole group. The chain head's row lock,
 * taken first by every append to the organization, orders concurrent writers.
 */
export function addToHourlyCounts(tx: TransactionSql, organizationId: string, events: readonly PreparedEvent[]): Promise<unknown> {
  const counts = new Map<string, { hour: string; action: string; count: number }>();
  for (const event of events) {
    const hour = new Date(hourOf(event.occurredAt)).toISOString();
    const key = `${hour} ${event.action}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { hour, action: event.action, count: 1 });
  }
  const rows = [...counts.values()];
  return tx`
    insert into event_counts_hourly (organization_id, hour, action, event_count)
    select ${organizationId}::uuid, u.hour, u.action, u.n
    from unnest(${tx.array(rows.map((r) => r.hour))}::timestamptz[], ${tx.array(rows.map((r) => r.action))}::text[], ${tx.array(rows.map((r) => r.count))}::bigint[]) as u(hour, action, n)
    on conflict (organization_id, hour, action) do update set event_count = event_counts_hourly.event_count + excluded.event_count`;
}

/** Takes purged events out of their counts (retention), in the purge's transaction; rows that reach zero go. */
export async function subtractFromHourlyCounts(tx: TransactionSql, organizationId: string, events: readonly { action: string; occurred_at: Date }[]): Promise<void> {
  if (events.length === 0) return;
  const groups = new Map<string, { hour: Date; action: string; count: number }>();
  for (const event of events) {
    const hour = hourOf(event.occurred_at);
    const key = `${hour} ${event.action}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { hour: new Date(hour), action: event.action, count: 1 });
  }
  // Sorted so two purges of one organization take the rows in one order (they are also serialized by the organization row).
  const purged = [...groups.values()].sort((a, b) => a.hour.getTime() - b.hour.getTime() || (a.action < b.action ? -1 : 1));
  await tx`
    update event_counts_hourly c set event_count = c.event_count - u.n
    from unnest(${tx.array(purged.map((p) => p.hour.toISOString()))}::timestamptz[], ${tx.array(purged.map((p) => p.action))}::text[], ${tx.array(purged.map((p) => p.count))}::bigint[]) as u(hour, action, n)
    where c.organization_id = ${organizationId} and c.hour = u.hour and c.action = u.action`;
  await tx`delete from event_counts_hourly where organization_id = ${organizationId} and event_count <= 0`;
}

/**
 * Where the hourly counts can stand in for counting events: a whole-log
 * reader (a member's counts are of their own events, which the hourly counts
 * do not know) and a query of positive action terms only. Returns the action
 * condition on the counts table (undefined: every action), or null when the
 * events must be counted.
 */
export function hourlyCountsFilter(scope: Scope, q: string | undefined, omitKeys: readonly QueryKey[] = []): { actions: SQL | undefined } | null {
  if (!can(scope, "events.read.all")) return null;
  const terms = q ? parseQuery(q).terms.filter((t) => !omitKeys.includes(t.key)) : [];
  if (terms.some((t) => t.key !== "action" || t.negated)) return null;
  const actionTerms = terms as ActionTerm[];
  if (actionTerms.length === 0) return { actions: undefined };
  return {
    actions: or(...actionTerms.map((t) => (t.match === "exact" ? eq(eventCountsHourly.action, t.action) : sql`starts_with(${eventCountsHourly.action}, ${t.action})`))),
  };
}

/** How to group the counts: the same key computed from an event and from an hour row. */
export type CountKey = { events: SQL<string>; hours: SQL<string> };

/**
 * Matching events counted per key, exactly, at a cost that grows with the
 * hours in the range rather than the events: whole hours come from
 * event_counts_hourly, and only the partial hours at the edges (and events
 * dated after `now`, when the range is open) are counted from the events.
 * `where` is the full condition on `events` (query, from, to; the scope is in `events`).
 */
export async function countsByKey(
  events: VisibleEvents,
  organizationId: string,
  where: SQL | undefined,
  hourly: { actions: SQL | undefined },
  range: { from?: Date; to?: Date; now: Date },
  key: CountKey,
): Promise<Map<string, number>> {
  const fromHour = range.from ? new Date(Math.ceil(range.from.getTime() / HOUR_MS) * HOUR_MS) : undefined;
  const toHour = new Date(hourOf(range.to ?? range.now));
  const counts = new Map<string, number>();
  const add = (rows: { key: string; count: number | string }[]) => {
    for (const row of rows) counts.set(row.key, (counts.get(row.key) ?? 0) + Number(row.count));
  };
  const fromEvents = (condition: SQL | undefined) =>
    db()
      .select({ key: key.events, count: sql<number>`count(*)::int` })
      .from(events)
      .where(and(where, condition))
      .groupBy(sql`1`);
  if (fromHour && fromHour >= toHour) {
    add(await fromEvents(undefined));
    return counts;
  }
  const [head, whole, tail] = await Promise.all([
    fromHour && range.from! < fromHour ? fromEvents(lt(events.occurredAt, fromHour)) : Promise.resolve([]),
    db()
      .select({ key: key.hours, count: sql<string>`sum(${eventCountsHourly.eventCount})` })
      .from(eventCountsHourly)
      .where(
        and(
          eq(eventCountsHourly.organizationId, organizationId),
          fromHour ? gte(eventCountsHourly.hour, fromHour) : undefined,
          lt(eventCountsHourly.hour, toHour),
          hourly.actions,
        ),
      )
      .groupBy(sql`1`),
    fromEvents(gte(events.occurredAt, toHour)),
  ]);
  add(head);
  add(whole);
  add(tail);
  return counts;
}
