import { rmSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "../embedded";
import { runMigrations } from "../migrate";
import { seed } from "../../scripts/seed";

let embedded: EmbeddedServer | undefined;

/**
 * Database tests run on real PostgreSQL: DATABASE_URL when set (CI gives a
 * fresh database), else a throwaway embedded server under .data-test/.
 */
export async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const dir = path.resolve(".data-test", "pg");
    rmSync(path.dirname(dir), { recursive: true, force: true });
    embedded = await startEmbeddedPostgres(dir);
    process.env.DATABASE_URL = embedded.url;
  }
  process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
  await runMigrations(process.env.DATABASE_URL);
  await seed(process.env.DATABASE_URL, { log: () => {} });
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
