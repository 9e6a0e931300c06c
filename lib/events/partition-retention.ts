import "server-only";
import { sql } from "@/db/client";
import { describeError } from "@/db/errors";
import { recordAppEvent } from "./app-events";
import { checkpointNamedBy, PURGE_ACTION, RETENTION_ACTOR } from "./checkpoint";
import { newestEventOf } from "./store/event-writes";
import { retentionCutoff, subtractFromCounts } from "./retention";
import { subtractTargetGroups } from "./target-counts";
import {
  countsUpTo,
  deleteOutsidePartition,
  dropPartition,
  eventPartitions,
  targetCountsUpTo,
  tenantsOfPartition,
  type EventPartition,
  type PartitionTenant,
  type RetiredCount,
} from "./store/event-partitions";

/*
 * Retention by the month: a month partition whose events have expired for
 * every organization with events in it is dropped whole, in the transaction
 * that moves each of those organizations' checkpoints to its last event there
 * and records `orgtrail.retention.purged` for it. Dropping a month costs about
 * the same whatever it holds; deleting it row by row costs every row, its
 * index entries and the vacuum after. Months go oldest first, and the first
 * one that cannot go stops the run, so what each organization loses is always
 * a prefix of its chain; the per-organization purge (retention.ts) deletes the
 * rest of what has expired row by row.
 */

/** How long the drop waits for running reads and writes before it gives up until the next run. */
const DROP_LOCK_TIMEOUT_MS = 2_000;

/** Why the month stays this run, found under the lock: thrown, so the checkpoints already moved in the transaction roll back with it. */
class MonthKept extends Error {}

type Retiring = PartitionTenant & { counts: RetiredCount[] };

/** Each tenant's events the drop retires, counted before any lock: a past month is no longer written to. Null when one of them keeps some. */
async function retiring(partition: EventPartition, now: Date): Promise<Retiring[] | null> {
  const tenants = await tenantsOfPartition(partition);
  if (tenants.some((t) => retentionCutoff(now, t.retentionDays) < partition.to)) return null;
  return Promise.all(
    tenants.map(async (tenant) => ({
      ...tenant,
      counts: tenant.checkpointSeq < tenant.lastSeq ? await countsUpTo(tenant.organizationId, tenant.checkpointSeq, tenant.lastSeq) : [],
    })),
  );
}

/** Drops the partition with every tenant's checkpoint moved past it, or rolls all of it back and returns false (retention raised or a purge started meanwhile, or the drop's lock not had). */
async function dropRetired(partition: EventPartition, tenants: Retiring[], now: Date): Promise<boolean> {
  return sql()
    .begin(async (tx) => {
      // The month's events out of the target counts first, before any chain's row is locked: a large organization's
      // month is hundreds of thousands of rows, and its appends (which lock its chain's row) go on meanwhile, as
      // these rows are of hours long past. A purge that moves a checkpoint after this counted keeps the month below.
      // Staged in an analyzed temp table: planned on its real size, the subtraction ran in half the time (BENCHMARKS.md).
      const ranges = tenants.filter((t) => t.checkpointSeq < t.lastSeq).map((t) => ({ organizationId: t.organizationId, afterSeq: t.checkpointSeq, throughSeq: t.lastSeq }));
      if (ranges.length > 0) {
        await tx`create temp table retired_target_counts on commit drop as select * from event_target_counts_hourly limit 0`;
        await tx`insert into retired_target_counts (organization_id, target_type, target_id, hour, action, event_count) select * from (${targetCountsUpTo(tx, ranges)}) as counted`;
        await tx`analyze retired_target_counts`;
        await subtractTargetGroups(tx, tx`select organization_id, target_type, target_id, hour, action, event_count as n from retired_target_counts`);
      }
      for (const tenant of tenants) {
        const [org] = await tx<{ name: string; retention_days: number; checkpoint_seq: string }[]>`
          select o.name, o.retention_days, c.checkpoint_seq from event_chains c join organizations o on o.id = c.organization_id
          where c.organization_id = ${tenant.organizationId} for update of c`;
        if (!org) continue;
        const cutoff = retentionCutoff(now, org.retention_days);
        if (cutoff < partition.to) throw new MonthKept(`${tenant.organizationId}'s retention was raised`);
        const checkpoint = Number(org.checkpoint_seq);
        // What was taken out of the counts was counted from the checkpoint of before the lock.
        if (checkpoint !== tenant.checkpointSeq) throw new MonthKept(`${tenant.organizationId}'s checkpoint moved during the drop`);
        if (checkpoint >= tenant.lastSeq) continue;
        // A row-by-row purge still running has named a later checkpoint: naming this one after it would leave
        // the chain's latest purge event behind the checkpoint that purge goes on to, which /verify refuses.
        const newestPurge = await newestEventOf(tx, tenant.organizationId, PURGE_ACTION);
        const pending = newestPurge && checkpointNamedBy(newestPurge);
        if (pending && pending.seq > checkpoint) throw new MonthKept(`a purge of ${tenant.organizationId} is running`);
        await deleteOutsidePartition(tx, partition, tenant.organizationId, checkpoint, tenant.lastSeq);
        await recordAppEvent(tx, tenant.organizationId, {
          action: PURGE_ACTION,
          actor: RETENTION_ACTOR,
          targets: [{ type: "organization", id: tenant.organizationId, name: org.name }],
          metadata: {
            count: tenant.lastSeq - checkpoint,
            through_seq: tenant.lastSeq,
            checkpoint_seq: tenant.lastSeq,
            checkpoint_hash: tenant.lastHash,
            cutoff: cutoff.toISOString(),
            retention_days: org.retention_days,
            partition: partition.name,
          },
        });
        await tx`update event_chains set checkpoint_seq = ${tenant.lastSeq}, checkpoint_hash = ${tenant.lastHash} where organization_id = ${tenant.organizationId}`;
        await subtractFromCounts(tx, tenant.organizationId, tenant.counts);
      }
      await dropPartition(tx, partition, DROP_LOCK_TIMEOUT_MS);
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof MonthKept) {
        console.warn(`[retention] ${partition.name} kept this run: ${error.message}`);
        return false;
      }
      // lock_not_available (the drop's lock not had in time) or deadlock_detected (the target counts it takes out
      // before locking the chains, against a purge batch or a backdated append on the same rows): all rolled back.
      if (!["55P03", "40P01"].includes((error as { code?: string }).code ?? "")) throw error;
      console.warn(`[retention] ${partition.name} not dropped this run: ${describeError(error)}`);
      return false;
    });
}

/** Drops, oldest first, every month partition that has expired for all organizations with events in it; returns their names. */
export async function dropExpiredPartitions(options: { now?: Date } = {}): Promise<string[]> {
  const now = options.now ?? new Date();
  const dropped: string[] = [];
  for (const partition of await eventPartitions()) {
    if (partition.to > now) break;
    const tenants = await retiring(partition, now);
    if (!tenants || !(await dropRetired(partition, tenants, now))) break;
    dropped.push(partition.name);
  }
  return dropped;
}

/** The daily job: each month dropped is recorded in its organizations' logs (`orgtrail.retention.purged` with `partition`). */
export async function runPartitionRetentionJob(): Promise<void> {
  await dropExpiredPartitions();
}
