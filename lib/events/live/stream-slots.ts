import "server-only";
import { AppError } from "@/lib/errors";

/** Open live streams one caller (a person or a key) may hold in one server process: tabs and reconnects fit, a flood does not. */
export const MAX_STREAMS_PER_CALLER = 20;

const open = new Map<string, number>();

/** Takes one of the caller's stream slots, or refuses with a 429; the returned function gives it back (once). */
export function takeStreamSlot(caller: string): () => void {
  const count = open.get(caller) ?? 0;
  if (count >= MAX_STREAMS_PER_CALLER) {
    throw new AppError("rate_limited", `At most ${MAX_STREAMS_PER_CALLER} live streams at once; close other live views and retry`, undefined, 5);
  }
  open.set(caller, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (open.get(caller) ?? 1) - 1;
    if (left > 0) open.set(caller, left);
    else open.delete(caller);
  };
}
