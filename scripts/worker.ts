/**
 * `npm run worker`: the job worker on its own, beside or instead of the one inside
 * the server (start the server with ORGTRAIL_WORKER=0 to run jobs only here).
 * Needs DATABASE_URL and NEXTAUTH_SECRET, the same values the server uses
 * (download links are signed with NEXTAUTH_SECRET), and ORGTRAIL_EXPORT_DIR
 * pointing at storage the server can read.
 */
import { env } from "../lib/env";
import { runMigrations } from "../db/migrate";

async function main(): Promise<void> {
  const { DATABASE_URL } = env();
  await runMigrations(DATABASE_URL);
  const { sql } = await import("../db/client");
  const { ensureAppEventSchemas } = await import("../lib/events/app-event-schemas");
  await ensureAppEventSchemas(sql());
  const { startJobWorkers } = await import("../lib/job-workers");
  startJobWorkers();
  console.log(`[worker] running jobs from ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")} (pid ${process.pid})`);
  // A job cut short here is taken again by a worker once its lease runs out.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
