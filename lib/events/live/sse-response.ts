import "server-only";
import type { Scope } from "@/lib/access/scope";
import { principalRef } from "../export/audit";
import { subscribeLive, type LiveOptions } from "./live-feed";
import { takeStreamSlot } from "./stream-slots";

/** A connection lives this long, then the browser reconnects (EventSource does, with Last-Event-ID): the session is checked afresh each time. */
const CONNECTION_MS = 60_000;
const HEARTBEAT_MS = 20_000;
const RECONNECT_MS = 1_000;

/**
 * Live mode as Server-Sent Events: `event: events` with the new matching events
 * (oldest first; `id:` the seq seen up to, so a reconnect resumes after it) and
 * `event: reset` when more arrived than live mode carries.
 */
export function liveEventsResponse(scope: Scope, options: LiveOptions, signal: AbortSignal): Response {
  // Taken before the response starts, so a caller over the limit gets a 429, not a stream.
  const releaseSlot = takeStreamSlot(principalRef(scope.principal));
  const encoder = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      let unsubscribe = () => {};
      const timers = [setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS), setTimeout(() => close(), CONNECTION_MS)];
      close = () => {
        if (closed) return;
        closed = true;
        timers.forEach((timer) => clearTimeout(timer));
        unsubscribe();
        releaseSlot();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      signal.addEventListener("abort", () => close());
      write(`retry: ${RECONNECT_MS}\n\n`);
      try {
        unsubscribe = await subscribeLive(scope, options, {
          send: (events, upToSeq) => write(`id: ${upToSeq}\nevent: events\ndata: ${JSON.stringify(events)}\n\n`),
          reset: () => write("event: reset\ndata: {}\n\n"),
        });
        if (closed) unsubscribe();
      } catch {
        // The browser reconnects after RECONNECT_MS and tries again.
        close();
      }
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps the response out of compression, which would hold events back.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
