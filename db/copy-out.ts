import "server-only";
import type { Readable } from "node:stream";
import postgres from "postgres";
import { env } from "@/lib/env";
import { sql } from "./client";

/** How the export connections name themselves to the server (pg_stat_activity.application_name). */
export const EXPORT_APPLICATION_NAME = "orgtrail-export";

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
 * This needs a direct connection (a transaction-mode pooler could run the COPY
 * on another server process than the one asked for its pid).
 *
 * random_page_cost is PostgreSQL's default for spinning disks (4). With it the
 * planner reads a large ordered range by scanning and sorting it in temporary
 * files, so no row leaves before the last is read; at an SSD's cost it walks
 * the index in order and the first rows go out at once (and the whole is faster).
 */
export async function* copyOut(statement: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const connection = postgres(env().DATABASE_URL, { max: 1, onnotice: () => {}, connection: { application_name: EXPORT_APPLICATION_NAME, jit: "off", random_page_cost: "1.1" } });
  let server: ServerProcess | null = null;
  let stream: Readable | null = null;
  let settled = false;
  const stop = async () => {
    if (settled) return;
    settled = true;
    // Read on (and drop) what is still coming, so the socket, which postgres.js paused when the reader fell
    // behind, sees the server close and is released; the stream's error is the one the reader gets.
    const current = stream;
    const discard = () => {
      while (current?.read() != null);
    };
    current?.on("error", () => undefined).on("readable", discard);
    discard();
    if (server) await terminate(server);
  };
  // A gone client aborts while this generator waits at a yield for a read that may never come.
  const onAbort = () => void stop();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    [server] = await connection<ServerProcess[]>`select pid, backend_start::text from pg_stat_activity where pid = pg_backend_pid()`;
    signal?.throwIfAborted();
    stream = (await connection.unsafe(statement).readable()) as Readable;
    try {
      for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
        signal?.throwIfAborted();
        yield chunk as Buffer;
      }
    } catch (error) {
      // The terminated connection's error says less than why it was stopped.
      signal?.throwIfAborted();
      throw error;
    }
    // An abort drops the rest of the output, so the stream may end as if complete.
    signal?.throwIfAborted();
    settled = true;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await stop();
    await connection.end({ timeout: 0 });
  }
}

/** backend_start compared as text: as a Date or a timestamptz parameter postgres.js would drop its microseconds and match nothing. */
type ServerProcess = { pid: number; backend_start: string };

/** Ends the export's server process, and only that one: a pid alone may have been reused once it is gone. */
async function terminate(server: ServerProcess): Promise<void> {
  await sql()`select pg_terminate_backend(pid) from pg_stat_activity
    where pid = ${server.pid} and backend_start::text = ${server.backend_start} and application_name = ${EXPORT_APPLICATION_NAME}`.catch(() => undefined);
}
