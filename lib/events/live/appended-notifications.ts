import "server-only";
import { sql } from "@/db/client";

/** The channel each append notifies at commit with `<organization id>:<head seq>` (lib/events/append.ts). */
export const EVENTS_APPENDED_CHANNEL = "orgtrail_events_appended";

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
        const at = payload.lastIndexOf(":");
        const headSeq = Number(payload.slice(at + 1));
        for (const listener of current.listeners.get(payload.slice(0, at)) ?? []) listener(headSeq);
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
