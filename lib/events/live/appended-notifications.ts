import "server-only";
import { sql } from "@/db/client";

/**
 * The channel appends are announced on: `<organization id>:<head seq>`, several
 * joined by `,`. Appends inside other transactions (Orgtrail's own events)
 * notify at their commit (lib/events/append.ts); the ingest path announces
 * after its commits, gathered (announceAppended), because PostgreSQL orders
 * notifying commits with one database-wide lock held through their WAL flush
 * (bench/notify.ts: 0.68x the commits/s when every ingest commit notified).
 */
export const EVENTS_APPENDED_CHANNEL = "orgtrail_events_appended";
/** How long announcements gather before one NOTIFY carries them all. */
const ANNOUNCE_MS = 50;
/** PostgreSQL's payload limit is 8,000 bytes; an entry is at most ~57. */
const ENTRIES_PER_NOTIFY = 120;

type Listener = (headSeq: number) => void;

const state = globalThis as unknown as { orgtrailAppended?: { listeners: Map<string, Set<Listener>>; started: boolean; onReconnect: Set<() => void> } };

function hub() {
  state.orgtrailAppended ??= { listeners: new Map(), started: false, onReconnect: new Set() };
  return state.orgtrailAppended;
}

/**
 * One LISTEN per process, fanned out by organization: a notification wakes only
 * the listeners of its organization. After the connection is (re)established
 * `onReconnect` callbacks run, since notifications sent while it was down are lost.
 */
function start(): void {
  const current = hub();
  if (current.started) return;
  current.started = true;
  sql()
    .listen(
      EVENTS_APPENDED_CHANNEL,
      (payload) => {
        for (const entry of payload.split(",")) {
          const at = entry.lastIndexOf(":");
          const headSeq = Number(entry.slice(at + 1));
          for (const listener of current.listeners.get(entry.slice(0, at)) ?? []) listener(headSeq);
        }
      },
      () => {
        for (const callback of current.onReconnect) callback();
      },
    )
    .catch((error: unknown) => {
      current.started = false;
      console.error("[live] could not listen for appended events:", error instanceof Error ? error.message : "unknown");
    });
}

/** Calls `listener` with the new head seq whenever events are committed to the organization. Returns the unsubscribe. */
export function onEventsAppended(organizationId: string, listener: Listener, onReconnect: () => void): () => void {
  start();
  const current = hub();
  const set = current.listeners.get(organizationId) ?? new Set<Listener>();
  set.add(listener);
  current.listeners.set(organizationId, set);
  current.onReconnect.add(onReconnect);
  return () => {
    set.delete(listener);
    if (set.size === 0) current.listeners.delete(organizationId);
    current.onReconnect.delete(onReconnect);
  };
}

const pending = new Map<string, number>();
let announcing: ReturnType<typeof setTimeout> | null = null;

/** Sends the gathered heads, several organizations to a NOTIFY. A lost one is made up for by live mode's safety check. */
async function flushAnnouncements(): Promise<void> {
  announcing = null;
  const entries = [...pending].map(([organizationId, seq]) => `${organizationId}:${seq}`);
  pending.clear();
  for (let i = 0; i < entries.length; i += ENTRIES_PER_NOTIFY) {
    await sql()`select pg_notify(${EVENTS_APPENDED_CHANNEL}, ${entries.slice(i, i + ENTRIES_PER_NOTIFY).join(",")})`.catch(() => {});
  }
}

/** Announces, after its commit, an organization's new head: within ANNOUNCE_MS, in one NOTIFY with every other announced meanwhile. */
export function announceAppended(organizationId: string, headSeq: number): void {
  pending.set(organizationId, Math.max(pending.get(organizationId) ?? 0, headSeq));
  announcing ??= setTimeout(() => void flushAnnouncements(), ANNOUNCE_MS);
}
