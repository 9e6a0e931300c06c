/** Runs once when the server starts: the app migrates its own database and starts its job worker. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { runMigrations } = await import("./db/migrate");
  await runMigrations(env().DATABASE_URL);
  const { sql } = await import("./db/client");
  const { ensureAppEventSchemas } = await import("./lib/events/app-event-schemas");
  await ensureAppEventSchemas(sql());
  if (process.env.ORGTRAIL_WORKER !== "0") {
    const { registerAllJobHandlers } = await import("./lib/jobs/handlers");
    const { startWorker } = await import("./lib/jobs/queue");
    registerAllJobHandlers();
    startWorker();
  }
}
