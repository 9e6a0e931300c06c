/**
 * Runs when each server process starts: the app migrates its own database and
 * makes sure of its own event schemas; the first process (ORGTRAIL_PROCESS_INDEX 0)
 * also analyzes newly built indexes in the background, prints the first-run
 * setup link while no vendor admin exists, and starts the job worker.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { runMigrations } = await import("./db/migrate");
  await runMigrations(env().DATABASE_URL);
  const { sql } = await import("./db/client");
  const { ensureAppEventSchemas } = await import("./lib/events/app-event-schemas");
  await ensureAppEventSchemas(sql());
  // One of several processes on the port (ORGTRAIL_WEB_PROCESSES): the first analyzes, prints the setup link and runs the jobs.
  if (env().ORGTRAIL_PROCESS_INDEX > 0) return;
  const { analyzeUnmeasuredIndexes } = await import("./db/index-statistics");
  analyzeUnmeasuredIndexes(env().DATABASE_URL).catch((error: unknown) => console.error("[orgtrail] analyzing new indexes failed:", error instanceof Error ? error.message : error));
  const { issueSetupToken } = await import("./lib/admin/first-run");
  const setup = await issueSetupToken();
  if (setup) {
    console.log(
      `[orgtrail] No vendor admin yet. Open ${setup.url} to create the first one (valid until ${setup.expiresAt.toISOString()}; or run: npm run orgtrail -- create-admin --email you@example.com)`,
    );
  }
  if (env().ORGTRAIL_WORKER === "1") {
    const { startJobWorkers } = await import("./lib/job-workers");
    startJobWorkers();
  }
}
