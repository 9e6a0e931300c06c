import "server-only";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { readChainState } from "../chain-state";
import { eventsForStream, matchingEvents } from "../search";
import { lastSeqReceivedBefore } from "../store/event-writes";
import type { AuditEvent } from "../types";
import { onEventsAppended } from "./appended-notifications";
import { describeError } from "@/db/errors";

/*
 * Live mode's server side. Viewers that see the same events (one organization,
 * the same visibility, the same query) share one group: a commit to the
 * organization wakes the group (one LISTEN per process, lib/events/live/
 * appended-notifications.ts), the group reads the new matching events once, and
 * each viewer gets those after its own cursor. So a thousand open viewers cost
 * one query per group per wake, nothing while nothing happens, and no polls.
 */

/** Events one wake may carry; past this a viewer is told to reload instead. */
const MAX_EVENTS_PER_WAKE = 2_000;
const READ_PAGE = 500;
/** Commits arriving close together are read together. */
const COALESCE_MS = 100;
/** How often a group checks the head itself, should a notification be lost. */
const SAFETY_CHECK_MS = 15_000;
/** How far back `since` may reach: it walks back from the head over what arrived since. */
const MAX_SINCE_MS = 10 * 60_000;

export type LiveHandlers = {
  /** New matching events, oldest first, and the seq the viewer has now seen everything up to. */
  send: (events: AuditEvent[], upToSeq: number) => void;
  /** More arrived than live mode carries: the viewer should reload its view. */
  reset: () => void;
};

type Batch = { events: AuditEvent[] | "overflow"; upTo: number };

type Subscriber = LiveHandlers & { sentUpTo: number; from: Date | null; pending: Batch[] | null };

type Group = {
  scope: Scope;
  q: string;
  cursor: number;
  wantedUpTo: number;
  running: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  subscribers: Set<Subscriber>;
  ready: Promise<void>;
  stopped: boolean;
  /** After a failed read, no wake before this time: an outage is retried at the safety check's pace, not at every commit. */
  retryAt: number;
  stop: () => void;
};

const state = globalThis as unknown as { orgtrailLiveGroups?: Map<string, Group> };
const groups = (): Map<string, Group> => (state.orgtrailLiveGroups ??= new Map());

const visibilityOf = (scope: Scope): string => (can(scope, "events.read.all") ? "all" : `own:${scope.ownActorId ?? ""}`);

/** The matching events with seq in (after, upTo], oldest first, or "overflow" past the cap. */
async function readRange(scope: Scope, q: string, after: number, upTo: number): Promise<AuditEvent[] | "overflow"> {
  const events: AuditEvent[] = [];
  let from = after;
  for (;;) {
    const page = await eventsForStream(scope, { afterSeq: from, upToSeq: upTo, q, limit: READ_PAGE });
    events.push(...page);
    if (events.length > MAX_EVENTS_PER_WAKE) return "overflow";
    if (page.length < READ_PAGE) return events;
    from = page.at(-1)!.seq;
  }
}

function deliver(subscriber: Subscriber, batch: Batch): void {
  if (subscriber.pending) {
    subscriber.pending.push(batch);
    return;
  }
  if (batch.upTo <= subscriber.sentUpTo) return;
  if (batch.events === "overflow") {
    subscriber.sentUpTo = batch.upTo;
    subscriber.reset();
    return;
  }
  const fresh = batch.events.filter((event) => event.seq > subscriber.sentUpTo && (!subscriber.from || new Date(event.occurred_at) >= subscriber.from));
  subscriber.sentUpTo = batch.upTo;
  if (fresh.length > 0) subscriber.send(fresh, batch.upTo);
}

async function run(group: Group): Promise<void> {
  if (group.running) return;
  group.running = true;
  try {
    while (group.wantedUpTo > group.cursor && group.subscribers.size > 0) {
      const upTo = group.wantedUpTo;
      const events = await readRange(group.scope, group.q, group.cursor, upTo);
      group.cursor = upTo;
      for (const subscriber of group.subscribers) deliver(subscriber, { events, upTo });
    }
  } catch (error) {
    // The next safety check tries again from the same cursor. The error's message may hold the SQL and its values: only its code is logged.
    group.retryAt = Date.now() + SAFETY_CHECK_MS;
    console.error("[live] reading new events failed:", describeError(error));
  } finally {
    group.running = false;
  }
}

function wake(group: Group, headSeq: number, now = Date.now()): void {
  group.wantedUpTo = Math.max(group.wantedUpTo, headSeq);
  if (group.stopped || group.timer || group.wantedUpTo <= group.cursor || now < group.retryAt) return;
  group.timer = setTimeout(() => {
    group.timer = null;
    void run(group).then(() => {
      if (group.wantedUpTo > group.cursor && !group.timer) wake(group, group.wantedUpTo);
    });
  }, COALESCE_MS);
}

const headSeqOf = async (organizationId: string): Promise<number> => (await readChainState(organizationId)).head.seq;

function createGroup(key: string, scope: Scope, q: string): Group {
  const organizationId = scope.organization.id;
  const group: Group = { scope, q, cursor: 0, wantedUpTo: 0, running: false, timer: null, subscribers: new Set(), ready: Promise.resolve(), stopped: false, retryAt: 0, stop: () => {} };
  const checkHead = () => void headSeqOf(organizationId).then((seq) => wake(group, seq), () => {});
  const unlisten = onEventsAppended(organizationId, (seq) => wake(group, seq), checkHead);
  const safety = setInterval(checkHead, SAFETY_CHECK_MS);
  safety.unref?.();
  group.stop = () => {
    group.stopped = true;
    unlisten();
    clearInterval(safety);
    if (group.timer) clearTimeout(group.timer);
    groups().delete(key);
  };
  group.ready = headSeqOf(organizationId).then((seq) => {
    group.cursor = Math.max(group.cursor, seq);
    group.wantedUpTo = Math.max(group.wantedUpTo, seq);
  });
  groups().set(key, group);
  return group;
}

/** Checks the query as a search would (a 400 for a bad one) before a stream is opened for it. */
export function checkLiveQuery(scope: Scope, q: string): void {
  matchingEvents(scope, { q }, new Date());
}

/**
 * What a viewer follows: events matching `q` that occurred at or after `from`,
 * received after `afterSeq` (the newest it shows), else since `since` (when
 * it shows none: the moment its list was read), else from now.
 */
export type LiveOptions = { q: string; afterSeq: number | null; since: Date | null; from: Date | null };

/** Follows the organization's new events for one viewer. Returns the unsubscribe. */
export async function subscribeLive(scope: Scope, options: LiveOptions, handlers: LiveHandlers): Promise<() => void> {
  // JSON, not joined text: an external id or a query holding the separator must never make two viewers' keys equal.
  const key = JSON.stringify([scope.organization.id, visibilityOf(scope), options.q]);
  const group = groups().get(key) ?? createGroup(key, scope, options.q);
  const subscriber: Subscriber = { ...handlers, sentUpTo: 0, from: options.from, pending: [] };
  group.subscribers.add(subscriber);
  const unsubscribe = () => {
    group.subscribers.delete(subscriber);
    if (group.subscribers.size === 0) group.stop();
  };
  try {
    await group.ready;
    const joinedAt = group.cursor;
    subscriber.sentUpTo = options.afterSeq ?? (options.since ? await lastSeqReceivedBefore(scope.organization.id, new Date(Math.max(options.since.getTime(), Date.now() - MAX_SINCE_MS))) : joinedAt);
    // Catching up on what arrived between the viewer's page and now; wakes meanwhile wait in `pending`.
    const missed = subscriber.sentUpTo < joinedAt ? await readRange(scope, options.q, subscriber.sentUpTo, joinedAt) : [];
    const waiting = subscriber.pending!;
    subscriber.pending = null;
    for (const batch of [{ events: missed, upTo: joinedAt }, ...waiting]) deliver(subscriber, batch);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return unsubscribe;
}

/** How many groups and viewers this process serves (for the benchmark and tests). */
export function liveStats(): { groups: number; subscribers: number } {
  let subscribers = 0;
  for (const group of groups().values()) subscribers += group.subscribers.size;
  return { groups: groups().size, subscribers };
}
