import "server-only";
import { AppError } from "@/lib/errors";
import { slotCounts } from "@/lib/slot-counts";

/**
 * Direct downloads streaming at once from this process. Each CSV download holds
 * a database connection of its own for its whole length, so without a bound a
 * few callers could use up the server's connections for every tenant.
 */
export const MAX_STREAMING_DOWNLOADS = 8;
/** Of those, at most this many for one organization, so a slow tenant cannot starve the others... */
export const MAX_STREAMING_DOWNLOADS_PER_ORG = 3;
/** ...and at most this many for one caller (a user or an API key), so one script cannot take its whole organization's share. */
export const MAX_STREAMING_DOWNLOADS_PER_CALLER = 2;
/** A client that takes no bytes for this long loses its download (and the query behind it ends). */
export const DOWNLOAD_STALL_MS = 60_000;
/** Slots free as downloads end, which cannot be foreseen: a refused caller is asked to retry shortly. */
const RETRY_AFTER_SECONDS = 10;

const streaming = slotCounts("downloads");
const byOrg = slotCounts("downloads-by-organization");
const byCaller = slotCounts("downloads-by-caller");
const EVERYONE = "";

const rateLimited = (message: string) => new AppError("rate_limited", message, undefined, RETRY_AFTER_SECONDS);

/**
 * Takes a download slot for a caller in an organization, or refuses with 429
 * when the caller, its organization or this process is at its limit. The
 * returned release may be called more than once.
 */
export function takeDownloadSlot(organizationId: string, caller: string): () => void {
  // The caller's own limit first: it is the one a caller can fix by finishing its other downloads.
  if (byCaller.held(caller) >= MAX_STREAMING_DOWNLOADS_PER_CALLER) {
    throw rateLimited(`You are already downloading ${MAX_STREAMING_DOWNLOADS_PER_CALLER} exports; finish one and retry, or create an export job`);
  }
  if (byOrg.held(organizationId) >= MAX_STREAMING_DOWNLOADS_PER_ORG) {
    throw rateLimited(`This organization is already downloading ${MAX_STREAMING_DOWNLOADS_PER_ORG} exports; retry shortly, or create an export job`);
  }
  if (streaming.held(EVERYONE) >= MAX_STREAMING_DOWNLOADS) {
    throw rateLimited("Too many exports are downloading from this server; retry shortly, or create an export job");
  }
  const releases = [streaming.take(EVERYONE), byOrg.take(organizationId), byCaller.take(caller)];
  return () => releases.forEach((release) => release());
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
