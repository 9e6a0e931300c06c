import "server-only";
import { sql } from "@/db/client";
import { enqueueJob, wakeJob } from "@/lib/jobs/queue";

/*
 * Each stream is delivered by one recurring job on the job queue: whichever
 * worker holds the job's lease delivers the stream, so any instance may, and
 * never two at once.
 */

export const STREAM_QUEUE = "log_stream";

export const streamJobKey = (streamId: string) => `log-stream:${streamId}`;

export async function ensureStreamJob(organizationId: string, streamId: string): Promise<void> {
  await enqueueJob(STREAM_QUEUE, { organizationId, streamId }, { dedupeKey: streamJobKey(streamId), maxAttempts: 1_000_000 });
}

/** Runs the stream's delivery now instead of at its next poll (after a change, a resume or a replay). */
export async function wakeStream(streamId: string): Promise<void> {
  await wakeJob(streamJobKey(streamId));
}

/**
 * Gives every stream its job, for streams whose job was never added (a crash
 * between the stream's commit and its enqueue). Cheap: one insert that adds
 * nothing when all jobs are there.
 */
export async function ensureAllStreamJobs(): Promise<number> {
  const added = await sql()`
    insert into jobs (queue, payload, dedupe_key, max_attempts)
    select ${STREAM_QUEUE}, jsonb_build_object('organizationId', s.organization_id, 'streamId', s.id), 'log-stream:' || s.id, 1000000
    from log_streams s
    on conflict (dedupe_key) do nothing`;
  return added.count;
}
