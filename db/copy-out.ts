import "server-only";
import postgres from "postgres";
import { env } from "@/lib/env";

/**
 * Streams the output of one `copy (…) to stdout` statement, chunk by chunk,
 * reading from PostgreSQL only as fast as the caller takes the chunks.
 *
 * It runs on a connection of its own, closed when the stream ends or the caller
 * stops: postgres.js 3.4 can leave a pooled connection's socket paused after a
 * COPY (porsager/postgres#499), which would hang the next query on it. Closing
 * the socket also ends a COPY the caller abandoned, since the server's next
 * write to it fails.
 *
 * random_page_cost is PostgreSQL's default for spinning disks (4). With it the
 * planner reads a large ordered range by scanning and sorting it in temporary
 * files, so no row leaves before the last is read; at an SSD's cost it walks
 * the index in order and the first rows go out at once (and the whole is faster).
 */
export async function* copyOut(statement: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const connection = postgres(env().DATABASE_URL, { max: 1, onnotice: () => {}, connection: { application_name: "orgtrail-export", jit: "off", random_page_cost: "1.1" } });
  try {
    const stream = await connection.unsafe(statement).readable();
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      yield chunk as Buffer;
    }
  } finally {
    await connection.end({ timeout: 0 });
  }
}
