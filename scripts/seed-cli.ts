/** `npm run db:seed [-- --force]`: demo data into DATABASE_URL (or the embedded server). */
import path from "node:path";
import { startEmbeddedPostgres } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { seed } from "./seed";

async function main(): Promise<void> {
  if (process.env.NODE_ENV === "production" && !process.argv.includes("--force")) {
    throw new Error("refusing to write demo data with NODE_ENV=production (pass --force if you really mean it)");
  }
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(path.resolve(process.env.ORGTRAIL_DATA_DIR ?? ".data", "pg"));
  const url = process.env.DATABASE_URL ?? embedded!.url;
  try {
    await runMigrations(url);
    await seed(url);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`[seed] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
