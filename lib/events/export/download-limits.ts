import "server-only";
import { ApiError } from "@/lib/api/errors";

/**
 * Direct downloads streaming at once from this process. Each CSV download holds
 * a database connection of its own for its whole length, so without a bound a
 * few callers could use up the server's connections for every tenant.
 */
export const MAX_STREAMING_DOWNLOADS = 8;
/** A client that takes no bytes for this long loses its download (and the query behind it ends). */
export const DOWNLOAD_STALL_MS = 60_000;

let streaming = 0;

/** Takes a download slot, or refuses with 429; the returned release may be called more than once. */
export function takeDownloadSlot(): () => void {
  if (streaming >= MAX_STREAMING_DOWNLOADS) {
    throw new ApiError(429, "rate_limited", "Too many exports are downloading from this server; retry shortly, or create an export job", undefined, { "Retry-After": "10" });
  }
  streaming++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    streaming--;
  };
}

/** An abort signal for a client that stops taking bytes: armed while a chunk waits to be taken, disarmed when the client asks for more. */
export function stallWatch(ms: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    arm() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new Error(`The client took no bytes for ${ms / 1000} s`)), ms);
    },
    disarm() {
      clearTimeout(timer);
    },
  };
}
