import "server-only";
import { subtractFromEventCounts } from "./hourly-counts";
import { subtractFromTargetCounts } from "./target-counts";
import { z } from "zod";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { AppError } from "@/lib/errors";
import { requirePermission } from "@/lib/access/require-permission";
import type { Scope } from "@/lib/access/scope";
import { enqueueJob } from "@/lib/jobs/queue";
import { actorOf } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "./app-events";
import type { ChainPoint } from "./chain";
import { PURGE_ACTION, RETENTION_ACTOR } from "./checkpoint";
import { deleteEventsUpTo, firstSeqReceivedSince, lastEventUpTo } from "./store/event-writes";
import { ensureEventPartitions } from "./store/event-partitions";
import { describeError } from "@/db/errors";

export const RETENTION_QUEUE = "retention";
export const PARTITION_RETENTION_QUEUE = "retention.partitions";
export const RETENTION_BOUNDS_KEY = "retention.bounds";
export const DEFAULT_RETENTION_BOUNDS = { min: 30, max: 3650 };
const PURGE_BATCH = 5000;
const DAY_MS = 86_400_000;

export type RetentionBounds = { min: number; max: number };

const boundsSchema = z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }).refine((b) => b.min <= b.max);

/** The range of retention days the vendor allows (settings `retention.bounds`). */
export async function retentionBounds(): Promise<RetentionBounds> {
  const [row] = await sql()<{ value: unknown }[]>`select value from settings where key = ${RETENTION_BOUNDS_KEY}`;
  const parsed = boundsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_RETENTION_BOUNDS;
}

export type RetentionSettings = { days: number; bounds: RetentionBounds; purgedThroughSeq: number };

export async function retentionSettings(scope: Scope): Promise<RetentionSettings> {
  requirePermission(scope, "retention.manage");
  const [org] = await sql()<{ retention_days: number; checkpoint_seq: string }[]>`
    select o.retention_days, coalesce(c.checkpoint_seq, 0) as checkpoint_seq
    from organizations o left join event_chains c on c.organization_id = o.id where o.id = ${scope.organization.id}`;
  return { days: org!.retention_days, bounds: await retentionBounds(), purgedThroughSeq: Number(org!.checkpoint_seq) };
}

const organizationTarget = (scope: Scope) => ({ type: "organization", id: scope.organization.id, name: scope.organization.name });

export async function setRetentionDays(scope: Scope, context: RequestContext, input: { days: unknown }): Promise<void> {
  requirePermission(scope, "retention.manage");
  const bounds = await retentionBounds();
  const parsed = z.coerce.number().int("must be a whole number of days").min(bounds.min, `must be at least ${bounds.min} days`).max(bounds.max, `must be at most ${bounds.max} days`).safeParse(input.days);
  if (!parsed.success) throw new AppError("invalid_request", `Retention ${parsed.error.issues[0]!.message}`, [{ path: "days", message: parsed.error.issues[0]!.message }]);
  const days = parsed.data;
  await sql().begin(async (tx) => {
    const [org] = await tx<{ retention_days: number }[]>`select retention_days from organizations where id = ${scope.organization.id} for no key update`;
    if (!org || org.retention_days === days) return;
    await tx`update organizations set retention_days = ${days} where id = ${scope.organization.id}`;
    await recordAppEvent(tx, scope.organization.id, {
      action: "orgtrail.retention.changed",
      actor: actorOf(scope),
      targets: [organizationTarget(scope)],
      metadata: { days_from: org.retention_days, days_to: days },
      ...context,
    });
  });
}

/** Events received before this instant have expired under a retention of `days`. */
export const retentionCutoff = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

export type PurgeResult = { count: number; batches: number; throughSeq: number };

/**
 * The end of the expired prefix of the chain: the seq before the first event
 * received at or after the cut-off, or the head. Events are cut by received_at,
 * which grows with seq, so what is deleted is always a prefix. Read without the
 * organization's lock (it may scan a long prefix); later appends only add higher seqs.
 */
async function expiredUpTo(organizationId: string, now: Date): Promise<{ upTo: number; cutoff: Date } | null> {
  const [org] = await sql()<{ retention_days: number; checkpoint_seq: string; chain_seq: string }[]>`
    select o.retention_days, c.checkpoint_seq, c.chain_seq from event_chains c join organizations o on o.id = c.organization_id where c.organization_id = ${organizationId}`;
  if (!org) return null;
  const cutoff = retentionCutoff(now, org.retention_days);
  const kept = await firstSeqReceivedSince(organizationId, Number(org.checkpoint_seq), cutoff);
  return { upTo: kept !== null ? kept - 1 : Number(org.chain_seq), cutoff };
}

/**
 * Appends `orgtrail.retention.purged` naming the checkpoint the purge will end
 * at (the last expired event's seq and hash), before anything is deleted: the
 * chain then records every checkpoint move, and /verify accepts no other
 * (lib/events/checkpoint.ts). Null when nothing has expired.
 */
async function recordPurge(organizationId: string, now: Date, batchSize: number): Promise<ChainPoint | null> {
  const expired = await expiredUpTo(organizationId, now);
  if (!expired) return null;
  return sql().begin(async (tx) => {
    const [org] = await tx<{ name: string; retention_days: number; checkpoint_seq: string }[]>`
      select o.name, o.retention_days, c.checkpoint_seq from event_chains c join organizations o on o.id = c.organization_id
      where c.organization_id = ${organizationId} for update of c`;
    if (!org) return null;
    const checkpoint = Number(org.checkpoint_seq);
    const through = await lastEventUpTo(tx, organizationId, checkpoint, expired.upTo);
    if (!through) return null;
    // seqs are gapless, so this is the number of events the purge deletes.
    const count = through.seq - checkpoint;
    await recordAppEvent(tx, organizationId, {
      action: PURGE_ACTION,
      actor: RETENTION_ACTOR,
      targets: [{ type: "organization", id: organizationId, name: org.name }],
      metadata: {
        count,
        through_seq: through.seq,
        checkpoint_seq: through.seq,
        checkpoint_hash: through.hash,
        cutoff: expired.cutoff.toISOString(),
        retention_days: org.retention_days,
        batches: Math.ceil(count / batchSize),
      },
    });
    return through;
  });
}

/** Takes retired events (each counting `count`, else one) out of the action counts and the rollups, in the retiring transaction, which holds the chain's row. */
export async function subtractFromCounts(tx: TransactionSql, organizationId: string, retired: readonly { action: string; occurred_at: Date; count?: number }[]): Promise<void> {
  const byAction = new Map<string, number>();
  for (const { action, count = 1 } of retired) byAction.set(action, (byAction.get(action) ?? 0) + count);
  for (const [action, n] of [...byAction].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx`update action_stats set event_count = greatest(event_count - ${n}, 0) where organization_id = ${organizationId} and action = ${action}`;
  }
  await subtractFromEventCounts(tx, organizationId, retired);
}

/**
 * Deletes up to batchSize events after the checkpoint and up to `through`, and
 * moves the checkpoint to the last one deleted, in one transaction. Returns how
 * many it deleted and whether the checkpoint has reached `through`.
 */
async function deleteBatch(organizationId: string, through: ChainPoint, batchSize: number): Promise<{ deleted: number; done: boolean }> {
  return sql().begin(async (tx) => {
    // The chain's row orders this batch against appends and other purges.
    const [org] = await tx<{ checkpoint_seq: string }[]>`select checkpoint_seq from event_chains where organization_id = ${organizationId} for update`;
    const checkpoint = Number(org?.checkpoint_seq ?? through.seq);
    if (checkpoint >= through.seq) return { deleted: 0, done: true };
    const gone = await deleteEventsUpTo(tx, organizationId, checkpoint, through.seq, batchSize);
    if (gone.length === 0) return { deleted: 0, done: true };
    const last = gone.reduce((a, b) => (Number(b.seq) > Number(a.seq) ? b : a));
    await tx`update event_chains set checkpoint_seq = ${last.seq}, checkpoint_hash = ${last.hash} where organization_id = ${organizationId}`;
    await subtractFromCounts(tx, organizationId, gone);
    await subtractFromTargetCounts(tx, organizationId, gone.map((e) => ({ action: e.action, occurredAt: e.occurred_at, targets: e.target_ids.map((id, i) => ({ type: e.target_types[i]!, id })) })));
    return { deleted: gone.length, done: Number(last.seq) >= through.seq };
  });
}

/**
 * Deletes an organization's events received before its retention cut-off:
 * first records `orgtrail.retention.purged` with the checkpoint it will end
 * at, then deletes in seq order, a batch per transaction so no transaction
 * grows large, each batch moving the checkpoint to its last deleted event so
 * /verify starts where the remaining chain does. A run that finds nothing
 * expired writes nothing.
 */
export async function purgeExpiredEvents(organizationId: string, options: { now?: Date; batchSize?: number; onBatch?: () => Promise<void> } = {}): Promise<PurgeResult> {
  const batchSize = options.batchSize ?? PURGE_BATCH;
  const through = await recordPurge(organizationId, options.now ?? new Date(), batchSize);
  const result: PurgeResult = { count: 0, batches: 0, throughSeq: through?.seq ?? 0 };
  for (let done = !through; !done; ) {
    const batch = await deleteBatch(organizationId, through!, batchSize);
    if (batch.deleted > 0) {
      result.count += batch.deleted;
      result.batches += 1;
    }
    done = batch.done;
    if (!done) await options.onBatch?.();
  }
  return result;
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Enqueues today's retention work; the dedupe keys make it once a day however
 * often it runs. The months that have expired for everyone go first (dropped
 * whole, lib/events/partition-retention.ts), then each organization's purge
 * deletes what is left of its expired events row by row.
 */
export async function enqueueRetentionJobs(now = new Date()): Promise<number> {
  const orgs = await sql()<{ id: string }[]>`select id from organizations order by id`;
  let added = (await enqueueJob(PARTITION_RETENTION_QUEUE, {}, { dedupeKey: `retention:partitions:${utcDay(now)}` })) !== null ? 1 : 0;
  for (const { id } of orgs) {
    if ((await enqueueJob(RETENTION_QUEUE, { organizationId: id }, { dedupeKey: `retention:${id}:${utcDay(now)}` })) !== null) added += 1;
  }
  return added;
}

export async function runRetentionJob(payload: Record<string, unknown>, job: { heartbeat: () => Promise<void> }): Promise<void> {
  const organizationId = z.uuid().parse(payload.organizationId);
  await purgeExpiredEvents(organizationId, { onBatch: job.heartbeat });
}

const SCHEDULE_MS = 3_600_000;
const globalForScheduler = globalThis as unknown as { orgtrailRetentionTimer?: ReturnType<typeof setInterval> };

/**
 * Keeps the coming months' partitions ready and enqueues today's purges, now
 * and then hourly, so a new day's jobs appear soon after midnight UTC.
 */
export function startRetentionScheduler(): void {
  if (globalForScheduler.orgtrailRetentionTimer) return;
  const tick = async () => {
    await ensureEventPartitions().catch((error: unknown) => console.error(`[retention] could not create the coming months' partitions: ${describeError(error)}`));
    await enqueueRetentionJobs().catch((error: unknown) => console.error(`[retention] scheduling failed: ${describeError(error)}`));
  };
  void tick();
  globalForScheduler.orgtrailRetentionTimer = setInterval(tick, SCHEDULE_MS);
  globalForScheduler.orgtrailRetentionTimer.unref?.();
}
