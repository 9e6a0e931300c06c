import "server-only";
import type { Sql, TransactionSql } from "postgres";
import { sql } from "@/db/client";

/*
 * audit_events is partitioned by month of received_at (migration 0010): one
 * table per UTC month, audit_events_yYYYYmMM, and a DEFAULT partition for rows
 * no month holds yet. The SQL function orgtrail_event_partition creates a
 * month, moving in what the DEFAULT partition took for it. Retention drops a
 * month whole once it has expired for every organization with events in it
 * (lib/events/partition-retention.ts).
 */

/** How many months ahead of now partitions are kept ready. */
export const MONTHS_AHEAD = 3;
const ATTACH_LOCK_TIMEOUT_MS = 2_000;

export type EventPartition = { name: string; from: Date; to: Date };

const MONTH_PARTITION = /^audit_events_y(\d{4})m(\d{2})$/;

/**
 * Makes sure the months from now to MONTHS_AHEAD ahead exist, and every month
 * the DEFAULT partition holds rows for (events received with an older or a
 * later time), which moves those rows into their month. Cheap when all exist:
 * the DEFAULT partition is then empty. Returns the months it looked at.
 */
export async function ensureEventPartitions(now = new Date()): Promise<string[]> {
  // Attaching a month locks the DEFAULT partition, which every read passes through: rather than queue
  // reads behind a long one, give up and try again on the next run (months are made well ahead).
  const rows = await sql().begin(async (tx) => {
    await tx`select set_config('lock_timeout', ${`${ATTACH_LOCK_TIMEOUT_MS}ms`}, true)`;
    return tx<{ name: string }[]>`
    select orgtrail_event_partition(m) as name from (
      select distinct date_trunc('month', received_at, 'UTC') as m from audit_events_default
      union
      -- Counted in UTC (timestamp arithmetic), so the session's time zone cannot skip a month.
      select generate_series(date_trunc('month', ${now.toISOString()}::timestamptz at time zone 'UTC'),
        ${now.toISOString()}::timestamptz at time zone 'UTC' + ${`${MONTHS_AHEAD} months`}::interval, interval '1 month') at time zone 'UTC'
    ) months order by m`;
  });
  return rows.map((r) => r.name);
}

/** The month partitions, oldest first (the DEFAULT partition is not one). */
export async function eventPartitions(): Promise<EventPartition[]> {
  const rows = await sql()<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit_events'::regclass`;
  return rows
    .flatMap(({ name }) => {
      const match = MONTH_PARTITION.exec(name);
      if (!match) return [];
      const from = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
      return [{ name, from, to: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) }];
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

export type PartitionTenant = { organizationId: string; retentionDays: number; checkpointSeq: number; lastSeq: number; lastHash: string };

/** Every organization with events in the partition, with its retention, its chain's checkpoint and its last event there (one index probe each). */
export async function tenantsOfPartition(partition: EventPartition): Promise<PartitionTenant[]> {
  const rows = await sql()<{ organization_id: string; retention_days: number; checkpoint_seq: string; seq: string; hash: string }[]>`
    select o.id as organization_id, o.retention_days, coalesce(c.checkpoint_seq, 0) as checkpoint_seq, last.seq, last.hash
    from organizations o
    left join event_chains c on c.organization_id = o.id
    cross join lateral (
      select seq, hash from ${sql()(partition.name)} e where e.organization_id = o.id order by seq desc limit 1
    ) last
    order by o.id`;
  return rows.map((r) => ({ organizationId: r.organization_id, retentionDays: r.retention_days, checkpointSeq: Number(r.checkpoint_seq), lastSeq: Number(r.seq), lastHash: r.hash }));
}

export type RetiredCount = { action: string; occurred_at: Date; count: number };

/** The organization's events with a seq in (afterSeq, throughSeq], counted per action and UTC hour: what retiring them takes out of the rollups. */
export async function countsUpTo(organizationId: string, afterSeq: number, throughSeq: number): Promise<RetiredCount[]> {
  const rows = await sql()<{ action: string; hour: Date; count: string }[]>`
    select action, date_trunc('hour', occurred_at, 'UTC') as hour, count(*) as count from audit_events
    where organization_id = ${organizationId} and seq > ${afterSeq} and seq <= ${throughSeq}
    group by 1, 2`;
  return rows.map((r) => ({ action: r.action, occurred_at: r.hour, count: Number(r.count) }));
}

/** An organization's events with a seq in (afterSeq, throughSeq]. */
export type SeqRange = { organizationId: string; afterSeq: number; throughSeq: number };

/**
 * The events of each range per organization, target, UTC hour and action (an
 * event naming a target twice counted once), as a statement to read inside
 * another (an INSERT): what retiring them takes out of the target counts,
 * without carrying a month's groups through Node; the bench seed fills the
 * counts with it too.
 */
export function targetCountsUpTo(tx: TransactionSql | Sql, ranges: readonly SeqRange[]) {
  return tx`
    select r.organization_id, t.target_type, t.target_id, date_trunc('hour', e.occurred_at, 'UTC') as hour, e.action, count(*) as n
    from unnest(${tx.array(ranges.map((r) => r.organizationId))}::uuid[], ${tx.array(ranges.map((r) => r.afterSeq))}::bigint[],
      ${tx.array(ranges.map((r) => r.throughSeq))}::bigint[]) as r(organization_id, after_seq, through_seq)
    join audit_events e on e.organization_id = r.organization_id and e.seq > r.after_seq and e.seq <= r.through_seq
    cross join lateral (select distinct u.target_type, u.target_id from unnest(e.target_types, e.target_ids) as u(target_type, target_id)) t
    group by 1, 2, 3, 4, 5`;
}

/**
 * Deletes the organization's events with a seq in (afterSeq, throughSeq] that
 * lie outside the partition (left in the DEFAULT partition, or in an older
 * month a purge did not reach), so that once the partition is dropped nothing
 * at or before the new checkpoint is left.
 */
export async function deleteOutsidePartition(tx: TransactionSql, partition: EventPartition, organizationId: string, afterSeq: number, throughSeq: number): Promise<number> {
  const gone = await tx`
    delete from audit_events where organization_id = ${organizationId} and seq > ${afterSeq} and seq <= ${throughSeq}
    and (received_at < ${partition.from.toISOString()}::timestamptz or received_at >= ${partition.to.toISOString()}::timestamptz)`;
  return gone.count;
}

/**
 * Drops the partition inside the caller's transaction. Dropping a partition
 * locks all of audit_events; waiting longer than lockTimeoutMs for running
 * reads and writes to let go throws (lock_not_available), so the caller's
 * transaction rolls back and the month is tried again later.
 */
export async function dropPartition(tx: TransactionSql, partition: EventPartition, lockTimeoutMs: number): Promise<void> {
  await tx`select set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`;
  await tx`drop table ${tx(partition.name)}`;
}
