/** Runs once when the server starts: the app migrates its own database. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { runMigrations } = await import("./db/migrate");
  await runMigrations(env().DATABASE_URL);
}
