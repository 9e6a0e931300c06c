import "server-only";
import type { PendingQuery, Row, TransactionSql } from "postgres";
import { hourOf } from "./hourly-counts";

/*
 * The target rollup: events per organization, target (type and id), UTC hour
 * of occurred_at and action (event_target_counts_hourly), kept in the same
 * transactions as the action rollups (lib/events/hourly-counts.ts): added to
 * by the append, taken from by the row purge and by a month's drop. The counts
 * of a `target:type:id` view then cost the hours of its range, however many
 * events name the target (lib/events/hourly-counts.ts, countsByKey).
 */

type TargetGroup = { type: string; id: string; hour: number; action: string; count: number };

/** A counted event: its action, when it occurred and the targets it names. */
export type TargetedEvent = { action: string; occurredAt: Date; targets: readonly { type: string; id: string }[] };

/**
 * Events per (target, hour, action), an event naming one target twice counting
 * once, sorted so two writers of one organization take the rows in one order.
 */
export function targetGroups(events: readonly TargetedEvent[]): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const { action, occurredAt, targets } of events) {
    const hour = hourOf(occurredAt);
    const named = new Set<string>();
    for (const { type, id } of targets) {
      // JSON of the pair: no separator character can make two pairs one key.
      const target = JSON.stringify([type, id]);
      if (named.has(target)) continue;
      named.add(target);
      const key = JSON.stringify([type, id, hour, action]);
      const group = groups.get(key);
      if (group) group.count += 1;
      else groups.set(key, { type, id, hour, action, count: 1 });
    }
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()].sort((a, b) => order(a.type, b.type) || order(a.id, b.id) || a.hour - b.hour || order(a.action, b.action));
}

const unnestedGroups = (tx: TransactionSql, groups: TargetGroup[]) =>
  tx`select * from unnest(${tx.array(groups.map((g) => g.type))}::text[], ${tx.array(groups.map((g) => g.id))}::text[],
    ${tx.array(groups.map((g) => new Date(g.hour).toISOString()))}::timestamptz[], ${tx.array(groups.map((g) => g.action))}::text[],
    ${tx.array(groups.map((g) => g.count))}::bigint[]) as u(target_type, target_id, hour, action, n)`;

/** Adds appended events to their target counts, in the append's transaction (whose chain-head lock orders the organization's writers). */
export function addToTargetCounts(tx: TransactionSql, organizationId: string, events: readonly TargetedEvent[]): Promise<unknown> {
  const groups = targetGroups(events);
  if (groups.length === 0) return Promise.resolve();
  return tx`
    insert into event_target_counts_hourly (organization_id, target_type, target_id, hour, action, event_count)
    select ${organizationId}::uuid, target_type, target_id, hour, action, n from (${unnestedGroups(tx, groups)}) as u
    on conflict (organization_id, target_type, target_id, hour, action)
    do update set event_count = event_target_counts_hourly.event_count + excluded.event_count`.execute();
}

/**
 * Takes counted groups, rows of (organization_id, target_type, target_id, hour,
 * action, n), out of the target counts in one statement: a row the group
 * empties is deleted, the others lowered (both parts read one snapshot, on
 * disjoint rows).
 */
export async function subtractTargetGroups(tx: TransactionSql, groups: PendingQuery<Row[]>): Promise<void> {
  const sameRow = tx`c.organization_id = g.organization_id and c.target_type = g.target_type and c.target_id = g.target_id and c.hour = g.hour and c.action = g.action`;
  await tx`
    with g as (${groups}),
    emptied as (delete from event_target_counts_hourly c using g where ${sameRow} and c.event_count <= g.n)
    update event_target_counts_hourly c set event_count = c.event_count - g.n from g where ${sameRow} and c.event_count > g.n`;
}

/** Takes purged events out of their target counts, in the purge's transaction. */
export async function subtractFromTargetCounts(tx: TransactionSql, organizationId: string, events: readonly TargetedEvent[]): Promise<void> {
  const groups = targetGroups(events);
  if (groups.length > 0) await subtractTargetGroups(tx, tx`select ${organizationId}::uuid as organization_id, u.* from (${unnestedGroups(tx, groups)}) as u`);
}
