/**
 * A large synthetic audit log for the search benchmark (bench/lib/seed.ts):
 *
 *   BENCH_DATABASE_URL=… npm run bench:seed -- --events 10000000 [--orgs 100] [--largest 5000000] [--days 365] [--reset]
 *
 * Without BENCH_DATABASE_URL it makes a fresh database, orgtrail_bench_seed_<timestamp>_<pid>,
 * and keeps it: the point is to search it; the URL to pass on is printed.
 * The database is migrated first; its audit_events indexes are dropped and
 * rebuilt around the load, so do not point it at a database others are using.
 */
import { benchDatabase } from "./lib/server";
import { seedBenchOrganizations } from "./lib/seed";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

async function main(): Promise<void> {
  const events = option("events", 10_000_000);
  const database = await benchDatabase("orgtrail_bench_seed");
  await seedBenchOrganizations(database.url, {
    events,
    orgs: option("orgs", 100),
    largest: option("largest", Math.floor(events / 2)),
    days: option("days", 365),
    reset: process.argv.includes("--reset"),
  });
  if (database.fresh) console.log(`search it with: BENCH_DATABASE_URL=${database.url} npm run bench:search`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
