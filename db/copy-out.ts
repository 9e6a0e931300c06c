import "server-only";
import postgres from "postgres";
import { env } from "@/lib/env";
import { sql } from "./client";

/**
 * Streams the output of one `copy (…) to stdout` statement, chunk by chunk,
 * reading from PostgreSQL only as fast as the caller takes the chunks.
 *
 * It runs on a connection of its own, closed when the stream ends or the caller
 * stops: postgres.js 3.4 can leave a pooled connection's socket paused after a
 * COPY (porsager/postgres#499), which would hang the next query on it.
 *
 * A caller that stops early (a gone client, an aborted job) gets the server
 * process terminated: closing our socket is not enough, as the server reads
 * nothing during a COPY and would run it to its end, and a cancel request
 * waits while the server is blocked writing to a client that stopped reading.
 *
 * random_page_cost is PostgreSQL's default for spinning disks (4). With it the
 * planner reads a large ordered range by scanning and sorting it in temporary
 * files, so no row leaves before the last is read; at an SSD's cost it walks
 * the index in order and the first rows go out at once (and the whole is faster).
 */
export async function* copyOut(statement: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const connection = postgres(env().DATABASE_URL, { max: 1, onnotice: () => {}, connection: { application_name: "orgtrail-export", jit: "off", random_page_cost: "1.1" } });
  let serverPid: number | null = null;
  let settled = false;
  const stop = async () => {
    if (settled) return;
    settled = true;
    if (serverPid !== null) await sql()`select pg_terminate_backend(${serverPid})`.catch(() => undefined);
  };
  // A gone client aborts while this generator waits at a yield for a read that may never come.
  const onAbort = () => void stop();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const [backend] = await connection<{ pid: number }[]>`select pg_backend_pid() as pid`;
    serverPid = backend!.pid;
    signal?.throwIfAborted();
    const stream = await connection.unsafe(statement).readable();
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      yield chunk as Buffer;
    }
    settled = true;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await stop();
    await connection.end({ timeout: 0 });
  }
}
