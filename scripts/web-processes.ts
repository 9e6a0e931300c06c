import { spawn } from "node:child_process";
import cluster from "node:cluster";
import path from "node:path";
import { z } from "zod";

/**
 * ORGTRAIL_WEB_PROCESSES: how many `next start` processes serve the port
 * (`npm start` only). One Node process uses one core for JavaScript; more
 * share the port through node:cluster, which hands each new connection to the
 * next process in turn.
 */
export function webProcessCount(value = process.env.ORGTRAIL_WEB_PROCESSES): number {
  // Empty is unset, as for every setting (lib/env.ts).
  const parsed = z.coerce.number().int().min(1).max(64).safeParse(value || "1");
  if (!parsed.success) throw new Error(`ORGTRAIL_WEB_PROCESSES must be a whole number from 1 to 64, not ${JSON.stringify(value)}`);
  return parsed.data;
}

export type WebServers = {
  /** Passes a signal on to every process; the launcher is stopping. */
  stop: (signal: NodeJS.Signals) => void;
  /** When every process has exited: 0 after stop, else the exit code of the first to fail (the others are stopped). */
  exited: Promise<number>;
};

const NEXT_BIN = path.resolve("node_modules", "next", "dist", "bin", "next");

/**
 * `next <mode> <args>` as one child process, or for `start` with count > 1 as
 * that many cluster workers on one port. Worker 0 alone does the once-per-start
 * work (instrumentation.ts reads ORGTRAIL_PROCESS_INDEX); a worker that dies
 * stops them all, so a supervisor restarts the whole server rather than leaving it short.
 */
export function startWebServers(mode: "dev" | "start", args: string[], env: NodeJS.ProcessEnv, count: number): WebServers {
  if (count === 1 || mode === "dev") {
    const child = spawn(process.execPath, [NEXT_BIN, mode, ...args], { stdio: "inherit", env });
    let stopping = false;
    return {
      stop: (signal) => {
        stopping = true;
        child.kill(signal);
      },
      exited: new Promise((resolve) => child.on("exit", (code, signal) => resolve(stopping ? 0 : (code ?? (signal ? 1 : 0))))),
    };
  }
  cluster.setupPrimary({ exec: NEXT_BIN, args: [mode, ...args], execArgv: [] });
  const workers = Array.from({ length: count }, (_, index) => cluster.fork({ ...env, ORGTRAIL_PROCESS_INDEX: String(index) }));
  let stopping = false;
  let failure = 0;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of workers) if (!worker.isDead()) worker.process.kill(signal);
  };
  const exited = new Promise<number>((resolve) => {
    let running = workers.length;
    for (const worker of workers) {
      worker.on("exit", (code, signal) => {
        if (!stopping) {
          failure = code || 1;
          console.error(`[orgtrail] web process ${worker.process.pid} exited (${signal ?? `code ${code}`}): stopping the others`);
          stop("SIGTERM");
        }
        running -= 1;
        if (running === 0) resolve(failure);
      });
    }
  });
  return { stop, exited };
}
