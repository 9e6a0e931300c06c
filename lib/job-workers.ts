import "server-only";
import { describeError } from "@/db/errors";
import { EXPORT_QUEUE, expireExports, runExportJob } from "@/lib/events/export/jobs";
import { runPartitionRetentionJob } from "@/lib/events/partition-retention";
import { PARTITION_RETENTION_QUEUE, RETENTION_QUEUE, runRetentionJob, startRetentionScheduler } from "@/lib/events/retention";
import { runStreamJob } from "@/lib/streams/delivery";
import { ensureAllStreamJobs, STREAM_QUEUE } from "@/lib/streams/stream-job";
import { registerJobHandler, startWorker } from "./jobs/queue";

// A stream's worker heartbeats after each batch: a short lease lets another instance take over soon after one dies.
const STREAM_LEASE_SECONDS = 15;
const STREAM_WORKERS = 4;

/** Registers every queue's handler; each domain adds its own here. */
export function registerAllJobHandlers(): void {
  registerJobHandler(EXPORT_QUEUE, async (payload, job) => {
    await expireExports();
    await runExportJob(payload, job);
  });
  registerJobHandler(PARTITION_RETENTION_QUEUE, runPartitionRetentionJob);
  registerJobHandler(RETENTION_QUEUE, runRetentionJob);
  registerJobHandler(STREAM_QUEUE, runStreamJob, { leaseSeconds: STREAM_LEASE_SECONDS });
}

/**
 * Starts this process's workers: one loop for exports and retention, and a
 * few for log streams of their own, so a long export never delays a stream.
 */
export function startJobWorkers(): void {
  registerAllJobHandlers();
  startRetentionScheduler();
  startWorker({ name: "default", queues: [EXPORT_QUEUE, PARTITION_RETENTION_QUEUE, RETENTION_QUEUE] });
  startWorker({ name: "streams", queues: [STREAM_QUEUE], concurrency: STREAM_WORKERS, pollMs: 200 });
  ensureAllStreamJobs().catch((error: unknown) => console.error(`[jobs] could not check the log streams' jobs: ${describeError(error)}`));
}
