import "server-only";
import { EXPORT_QUEUE, expireExports, runExportJob } from "@/lib/events/export/jobs";
import { RETENTION_QUEUE, runRetentionJob, startRetentionScheduler } from "@/lib/events/retention";
import { registerJobHandler } from "./queue";

/** Registers every queue's handler; each domain adds its own here. */
export function registerAllJobHandlers(): void {
  registerJobHandler(EXPORT_QUEUE, async (payload, job) => {
    await expireExports();
    await runExportJob(payload, job);
  });
  registerJobHandler(RETENTION_QUEUE, runRetentionJob);
  startRetentionScheduler();
}
