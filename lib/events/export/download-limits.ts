import "server-only";
import { AppError } from "@/lib/errors";

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

type Slots = { streaming: number; byOrg: Map<string, number>; byCaller: Map<string, number> };
// On globalThis: Next.js bundles the CSV and NDJSON routes apart, each with its own copy of this module, and both share one set of slots.
const globalForSlots = globalThis as unknown as { orgtrailDownloadSlots?: Slots };
const slots = (globalForSlots.orgtrailDownloadSlots ??= { streaming: 0, byOrg: new Map(), byCaller: new Map() });

const rateLimited = (message: string) => new AppError("rate_limited", message, undefined, RETRY_AFTER_SECONDS);

function add(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

/**
 * Takes a download slot for a caller in an organization, or refuses with 429
 * when the caller, its organization or this process is at its limit. The
 * returned release may be called more than once.
 */
export function takeDownloadSlot(organizationId: string, caller: string): () => void {
  // The caller's own limit first: it is the one a caller can fix by finishing its other downloads.
  if ((slots.byCaller.get(caller) ?? 0) >= MAX_STREAMING_DOWNLOADS_PER_CALLER) {
    throw rateLimited(`You are already downloading ${MAX_STREAMING_DOWNLOADS_PER_CALLER} exports; finish one and retry, or create an export job`);
  }
  if ((slots.byOrg.get(organizationId) ?? 0) >= MAX_STREAMING_DOWNLOADS_PER_ORG) {
    throw rateLimited(`This organization is already downloading ${MAX_STREAMING_DOWNLOADS_PER_ORG} exports; retry shortly, or create an export job`);
  }
  if (slots.streaming >= MAX_STREAMING_DOWNLOADS) {
    throw rateLimited("Too many exports are downloading from this server; retry shortly, or create an export job");
  }
  slots.streaming++;
  add(slots.byOrg, organizationId, 1);
  add(slots.byCaller, caller, 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    slots.streaming--;
    add(slots.byOrg, organizationId, -1);
    add(slots.byCaller, caller, -1);
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
