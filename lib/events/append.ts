import "server-only";
import type { TransactionSql } from "postgres";
import { chainHash } from "./chain";
import { EVENTS_APPENDED_CHANNEL } from "./live/appended-notifications";
import { addToEventCounts } from "./hourly-counts";
import { addToTargetCounts } from "./target-counts";
import { shapeOf } from "./shape";
import { insertEventRows, type EventInsertRow } from "./store/event-writes";
import type { AppendedEvent, Metadata, PreparedEvent } from "./types";

/**
 * Events hashed and sent per INSERT. The chain is hashed in Node inside the
 * transaction (each hash needs the one before); sending each chunk as soon as
 * it is hashed lets PostgreSQL insert it while Node hashes the next.
 */
const INSERT_CHUNK = 250;

function metadataValues(metadata: Metadata | undefined): string[] {
  return metadata ? Object.values(metadata).map(String) : [];
}

/** The lowercased words free-text search looks in. */
export function searchText(event: Pick<PreparedEvent, "action" | "actor" | "targets" | "metadata">): string {
  const parts = [
    event.action,
    event.actor.id,
    event.actor.name ?? "",
    ...metadataValues(event.actor.metadata),
    ...event.targets.flatMap((t) => [t.type, t.id, t.name ?? "", ...metadataValues(t.metadata)]),
    ...metadataValues(event.metadata),
  ];
  return parts.filter(Boolean).join("\n").toLowerCase();
}

/** One upsert per action of the group: the console's counts without scanning audit_events. */
async function updateActionStats(tx: TransactionSql, organizationId: string, events: PreparedEvent[]): Promise<void> {
  const byAction = new Map<string, { count: number; last: Date; sample: PreparedEvent }>();
  for (const event of events) {
    const stat = byAction.get(event.action);
    if (!stat) byAction.set(event.action, { count: 1, last: event.occurredAt, sample: event });
    else {
      stat.count += 1;
      if (event.occurredAt > stat.last) stat.last = event.occurredAt;
    }
  }
  // Sorted so concurrent groups lock the rows in one order (pipelined statements run in the order sent).
  const sorted = [...byAction.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  await Promise.all(sorted.map(([action, stat]) => {
    // Only the shape (keys and kinds of values): the console offers it to start a schema from, and vendor staff read no customer event values.
    const { actor, targets, metadata } = stat.sample;
    const sample = {
      action,
      actor: actor.metadata ? { metadata: shapeOf(actor.metadata) } : {},
      targets: targets.map((t) => ({ type: t.type, ...(t.metadata ? { metadata: shapeOf(t.metadata) } : {}) })),
      metadata: shapeOf(metadata),
    };
    return tx`insert into action_stats (organization_id, action, event_count, last_seen_at, sample)
      values (${organizationId}, ${action}, ${stat.count}, ${stat.last.toISOString()}, ${tx.json(sample)})
      on conflict (organization_id, action) do update set
        event_count = action_stats.event_count + excluded.event_count,
        last_seen_at = greatest(action_stats.last_seen_at, excluded.last_seen_at),
        sample = excluded.sample`;
  }));
}

/** Delivered at commit, to every process listening (lib/events/live): the organization's new head. The ingest path announces after commit instead (lib/events/group-commit.ts). */
const notifyAppended = (tx: TransactionSql, organizationId: string, headSeq: number) => tx`select pg_notify(${EVENTS_APPENDED_CHANNEL}, ${`${organizationId}:${headSeq}`})`;

/**
 * Appends events to an organization's chain inside the caller's transaction:
 * takes the chain head (the row lock orders concurrent writers), numbers the
 * events with gapless seqs, hashes each onto the previous one, inserts them and
 * moves the head. Nothing is visible until the caller commits, when live mode
 * is notified, unless the caller announces the append itself (`notify: false`).
 */
export async function appendInTransaction(tx: TransactionSql, organizationId: string, events: PreparedEvent[], options: { notify: boolean } = { notify: true }): Promise<AppendedEvent[]> {
  if (events.length === 0) return [];
  // The organization's first append makes its chain row. The inserts below check their foreign keys with KEY SHARE
  // on the organization's row while this row is held, so a transaction that locks an organization and then appends
  // takes it FOR NO KEY UPDATE, which does not wait on them (FOR UPDATE would deadlock with this append).
  const [head] = await tx<{ chain_seq: string; chain_hash: string }[]>`
    insert into event_chains (organization_id, chain_seq) values (${organizationId}, ${events.length})
    on conflict (organization_id) do update set chain_seq = event_chains.chain_seq + excluded.chain_seq
    returning chain_seq, chain_hash`;
  let seq = Number(head!.chain_seq) - events.length;
  let prevHash = head!.chain_hash;
  const now = new Date();
  const rows: EventInsertRow[] = [];
  // Independent statements of one transaction: sent as they are ready (postgres.js pipelines them
  // on the connection), so the chain-head lock is held for about one round trip after the last hash.
  const writes: Promise<unknown>[] = [];
  for (const event of events) {
    seq += 1;
    const receivedAt = event.receivedAt ?? now;
    const hash = chainHash(prevHash, {
      id: event.id,
      organization_id: organizationId,
      seq,
      action: event.action,
      version: event.version,
      occurred_at: event.occurredAt.toISOString(),
      received_at: receivedAt.toISOString(),
      actor: event.actor,
      targets: event.targets,
      context: {
        ...(event.ip ? { location: event.ip } : {}),
        ...(event.userAgent != null ? { user_agent: event.userAgent } : {}),
      },
      metadata: event.metadata,
    });
    rows.push({
      id: event.id,
      seq,
      action: event.action,
      version: event.version,
      occurredAt: event.occurredAt.toISOString(),
      receivedAt: receivedAt.toISOString(),
      actorType: event.actor.type,
      actorId: event.actor.id,
      actorName: event.actor.name ?? null,
      actorMetadata: event.actor.metadata ? JSON.stringify(event.actor.metadata) : null,
      targets: JSON.stringify(event.targets),
      ip: event.ip,
      userAgent: event.userAgent,
      metadata: JSON.stringify(event.metadata),
      searchText: searchText(event),
      idempotencyKey: event.idempotencyKey ?? null,
      hash,
      prevHash,
    });
    prevHash = hash;
    if (rows.length % INSERT_CHUNK === 0) writes.push(insertEventRows(tx, organizationId, rows.slice(-INSERT_CHUNK)));
  }
  const unsent = rows.length % INSERT_CHUNK;
  if (unsent > 0) writes.push(insertEventRows(tx, organizationId, rows.slice(-unsent)));
  const lastOccurred = events.reduce((max, e) => (e.occurredAt > max ? e.occurredAt : max), events[0]!.occurredAt);
  writes.push(tx`update event_chains set chain_hash = ${prevHash},
    last_event_at = greatest(last_event_at, ${lastOccurred.toISOString()}::timestamptz)
    where organization_id = ${organizationId}`);
  writes.push(updateActionStats(tx, organizationId, events));
  writes.push(addToEventCounts(tx, organizationId, events));
  writes.push(addToTargetCounts(tx, organizationId, events));
  if (options.notify) writes.push(notifyAppended(tx, organizationId, seq));
  await Promise.all(writes);
  return rows.map((r) => ({ id: r.id, seq: r.seq, hash: r.hash }));
}
