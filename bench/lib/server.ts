/**
 * Shared pieces of the benchmarks: their ports, their database and a `next start` to load.
 *
 *   BENCH_PORT          the first port of a bench's servers (each bench has its own default, 4310 and up,
 *                       outside the 3000–3400 that dev servers and the e2e suites use); extra servers take
 *                       the ports just above it
 *   BENCH_DATABASE_URL  run against this database; without it a bench makes a fresh one,
 *                       <name>_<timestamp>_<pid>, on BENCH_ADMIN_URL's server and drops it at the end
 *   BENCH_KEEP_DB=1     keep the fresh database (its URL is printed)
 *   NEXT_DIST_DIR       the production build the servers run (default .next), passed on to them
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "../../db/migrate";
import { serverNodeOptions } from "../../scripts/server-node-options";

export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The first port of a bench: BENCH_PORT, else the bench's own default. */
export function benchPort(defaultPort: number): number {
  const port = Number(process.env.BENCH_PORT ?? defaultPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`BENCH_PORT must be a port number, not ${process.env.BENCH_PORT}`);
  return port;
}

/** A port nobody listens on right now, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Whether a port can be listened on: a server of someone else's there would answer the bench's requests. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** `<name>_<timestamp>_<pid>`: two runs, even of the same bench at once, never share a database. */
export const uniqueName = (name: string): string => `${name}_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${process.pid}`;

export const keepDatabase = (): boolean => process.env.BENCH_KEEP_DB === "1";

export type BenchDatabase = {
  url: string;
  /** True when this run made the database (and so may drop it). */
  fresh: boolean;
  /** Drops a database this run made, unless BENCH_KEEP_DB=1; leaves BENCH_DATABASE_URL's alone. */
  release: () => Promise<void>;
};

/** BENCH_DATABASE_URL (migrated here), or a new, empty, migrated database named after the bench. */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    await runMigrations(given);
    return { url: given, fresh: false, release: async () => {} };
  }
  const database = uniqueName(name);
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  await runMigrations(url);
  console.log(`bench database: ${url}`);
  return {
    url,
    fresh: true,
    release: async () => {
      if (keepDatabase()) {
        console.log(`kept the bench database (BENCH_KEEP_DB=1): BENCH_DATABASE_URL=${url}`);
        return;
      }
      const dropper = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${database}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** The build `next start` serves: NEXT_DIST_DIR as next.config.ts reads it. */
export const distDir = (): string => process.env.NEXT_DIST_DIR || ".next";

export function ensureBuild(): void {
  if (!existsSync(path.join(distDir(), "BUILD_ID"))) {
    throw new Error(`no production build in ${distDir()}: run \`npm run build\` first (with the same NEXT_DIST_DIR; the benchmarks load \`next start\`)`);
  }
}

export type Server = { url: string; process: ChildProcess; stop: () => Promise<void> };

/**
 * `next start` on a port against a database, without the launcher, so kill -9 hits the server itself;
 * with `webProcesses` > 1, `npm start`'s launcher with ORGTRAIL_WEB_PROCESSES (its processes are the child's descendants).
 */
export async function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}, webProcesses = 1): Promise<Server> {
  ensureBuild();
  if (!(await portIsFree(port))) throw new Error(`port ${port} is in use: set BENCH_PORT to a free range`);
  const [command, args] =
    webProcesses > 1
      ? [path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/launch.ts", "start", "-p", String(port)]]
      : [path.resolve("node_modules/.bin/next"), ["start", "-p", String(port)]];
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: distDir(),
      // As `npm start` runs it (scripts/launch.ts).
      NODE_OPTIONS: serverNodeOptions(),
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      ORGTRAIL_INGEST_RATE_PER_SECOND: "10000000",
      ORGTRAIL_WEB_PROCESSES: String(webProcesses),
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  let up = false;
  for (let i = 0; i < 300 && !up; i++) {
    try {
      up = (await fetch(`${url}/api/v1/health`)).ok;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited with ${child.exitCode} (is the port taken?)`);
    if (!up) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!up) {
    child.kill("SIGTERM");
    throw new Error(`server on port ${port} did not answer /api/v1/health within 60 s`);
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}
