/** Shared pieces of the benchmarks: a fresh database on the local server and a `next start` to load. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "../../db/migrate";
import { serverNodeOptions } from "../../scripts/server-node-options";

export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A new, empty, migrated database; its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  await runMigrations(url);
  return url;
}

export function ensureBuild(): void {
  if (!existsSync(path.join(".next", "BUILD_ID"))) {
    throw new Error("no production build: run `npm run build` first (the benchmarks load `next start`)");
  }
}

export type Server = { url: string; process: ChildProcess; stop: () => Promise<void> };

/** `next start` on a port against a database, without the launcher, so kill -9 hits the server itself. */
export async function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<Server> {
  ensureBuild();
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      // As `npm start` runs it (scripts/launch.ts).
      NODE_OPTIONS: serverNodeOptions(),
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      ORGTRAIL_INGEST_RATE_PER_SECOND: "10000000",
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
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
