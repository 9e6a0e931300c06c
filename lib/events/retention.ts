import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { requirePermission } from "@/lib/api/handler";
import type { Scope } from "@/lib/access/scope";
import { enqueueJob } from "@/lib/jobs/queue";
import { actorOf, type RequestContext } from "./app-actor";
import { recordAppEvent } from "./app-events";

export const RETENTION_QUEUE = "retention";
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
    select retention_days, checkpoint_seq from organizations where id = ${scope.organization.id}`;
  return { days: org!.retention_days, bounds: await retentionBounds(), purgedThroughSeq: Number(org!.checkpoint_seq) };
}

const organizationTarget = (scope: Scope) => ({ type: "organization", id: scope.organization.id, name: scope.organization.name });

export async function setRetentionDays(scope: Scope, context: RequestContext, input: { days: unknown }): Promise<void> {
  requirePermission(scope, "retention.manage");
  const bounds = await retentionBounds();
  const parsed = z.coerce.number().int("must be a whole number of days").min(bounds.min, `must be at least ${bounds.min} days`).max(bounds.max, `must be at most ${bounds.max} days`).safeParse(input.days);
  if (!parsed.success) throw new ApiError(400, "invalid_request", `Retention ${parsed.error.issues[0]!.message}`, [{ path: "days", message: parsed.error.issues[0]!.message }]);
  const days = parsed.data;
  await sql().begin(async (tx) => {
    const [org] = await tx<{ retention_days: number }[]>`select retention_days from organizations where id = ${scope.organization.id} for update`;
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

export type PurgeResult = { count: number; batches: number; throughSeq: number };

const RETENTION_ACTOR = { type: "system", id: "orgtrail.retention", name: "Retention policy" };

/**
 * Deletes an organization's events received before its retention cut-off, in
 * seq order, a batch per transaction so no transaction grows large. Each batch
 * moves the chain checkpoint to the last deleted event in the same transaction,
 * so verification starts where the remaining chain does. The last batch also
 * records `orgtrail.retention.purged` with the total. Events are cut by
 * received_at, which grows with seq, so the deleted events are always a prefix
 * of the chain.
 */
export async function purgeExpiredEvents(organizationId: string, options: { now?: Date; batchSize?: number; onBatch?: () => Promise<void> } = {}): Promise<PurgeResult> {
  const batchSize = options.batchSize ?? PURGE_BATCH;
  const now = options.now ?? new Date();
  const result: PurgeResult = { count: 0, batches: 0, throughSeq: 0 };
  for (let done = false; !done; ) {
    done = await sql().begin(async (tx) => {
      // The organization row orders this batch against appends and other purges.
      const [org] = await tx<{ name: string; retention_days: number; checkpoint_seq: string }[]>`
        select name, retention_days, checkpoint_seq from organizations where id = ${organizationId} for update`;
      if (!org) return true;
      const cutoff = new Date(now.getTime() - org.retention_days * DAY_MS);
      const checkpoint = Number(org.checkpoint_seq);
      const candidates = await tx<{ seq: string; hash: string; expired: boolean }[]>`
        select seq, hash, received_at < ${cutoff.toISOString()}::timestamptz as expired from audit_events
        where organization_id = ${organizationId} and seq > ${checkpoint}
        order by seq limit ${batchSize}`;
      const firstKept = candidates.findIndex((c) => !c.expired);
      const batch = firstKept === -1 ? candidates : candidates.slice(0, firstKept);
      const last = candidates.length < batchSize || firstKept !== -1;
      if (batch.length > 0) {
        const throughSeq = Number(batch.at(-1)!.seq);
        const deleted = await tx<{ action: string; n: string }[]>`
          with gone as (
            delete from audit_events
            where organization_id = ${organizationId} and seq > ${checkpoint} and seq <= ${throughSeq}
            returning action)
          select action, count(*) as n from gone group by action order by action`;
        await tx`update organizations set checkpoint_seq = ${throughSeq}, checkpoint_hash = ${batch.at(-1)!.hash} where id = ${organizationId}`;
        for (const { action, n } of deleted) {
          await tx`update action_stats set event_count = greatest(event_count - ${Number(n)}, 0) where organization_id = ${organizationId} and action = ${action}`;
        }
        result.count += batch.length;
        result.batches += 1;
        result.throughSeq = throughSeq;
      }
      if (last && result.count > 0) {
        await recordAppEvent(tx, organizationId, {
          action: "orgtrail.retention.purged",
          actor: RETENTION_ACTOR,
          targets: [{ type: "organization", id: organizationId, name: org.name }],
          metadata: { count: result.count, through_seq: result.throughSeq, cutoff: cutoff.toISOString(), retention_days: org.retention_days, batches: result.batches },
        });
      }
      return last;
    });
    if (!done) await options.onBatch?.();
  }
  return result;
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Enqueues today's purge of every organization; the dedupe key makes it once a day however often it runs. */
export async function enqueueRetentionJobs(now = new Date()): Promise<number> {
  const orgs = await sql()<{ id: string }[]>`select id from organizations order by id`;
  let added = 0;
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

/** Enqueues today's purges now and then hourly, so a new day's jobs appear soon after midnight UTC. */
export function startRetentionScheduler(): void {
  if (globalForScheduler.orgtrailRetentionTimer) return;
  const tick = () =>
    enqueueRetentionJobs().catch((error: unknown) => console.error(`[retention] scheduling failed: ${error instanceof Error ? error.message : String(error)}`));
  void tick();
  globalForScheduler.orgtrailRetentionTimer = setInterval(tick, SCHEDULE_MS);
  globalForScheduler.orgtrailRetentionTimer.unref?.();
}
