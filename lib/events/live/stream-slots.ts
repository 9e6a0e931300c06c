import "server-only";
import { AppError } from "@/lib/errors";
import { slotCounts } from "@/lib/slot-counts";

/** Open live streams one caller (a person or a key) may hold in one server process: tabs and reconnects fit, a flood does not. */
export const MAX_STREAMS_PER_CALLER = 20;

const streams = slotCounts("live-streams-by-caller");

/** Takes one of the caller's stream slots, or refuses with a 429; the returned function gives it back (once). */
export function takeStreamSlot(caller: string): () => void {
  if (streams.held(caller) >= MAX_STREAMS_PER_CALLER) {
    throw new AppError("rate_limited", `At most ${MAX_STREAMS_PER_CALLER} live streams at once; close other live views and retry`, undefined, 5);
  }
  return streams.take(caller);
}
