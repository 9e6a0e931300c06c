import "server-only";
import type { TransactionSql } from "postgres";
import { chainHash } from "./chain";
import type { AppendedEvent, Metadata, PreparedEvent } from "./types";

const INSERT_CHUNK = 1000;

function metadataValues(metadata: Metadata | undefined): string[] {
  return metadata ? Object.values(metadata).map(String) : [];
}

/** The lowercased words free-text search looks in. */
export function searchText(event: PreparedEvent): string {
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
  // Sorted so concurrent groups lock the rows in one order.
  for (const [action, stat] of [...byAction.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sample = { action, actor: stat.sample.actor, targets: stat.sample.targets, metadata: stat.sample.metadata };
    await tx`insert into action_stats (organization_id, action, event_count, last_seen_at, sample)
      values (${organizationId}, ${action}, ${stat.count}, ${stat.last.toISOString()}, ${tx.json(sample)})
      on conflict (organization_id, action) do update set
        event_count = action_stats.event_count + excluded.event_count,
        last_seen_at = greatest(action_stats.last_seen_at, excluded.last_seen_at),
        sample = excluded.sample`;
  }
}

/**
 * Appends events to an organization's chain inside the caller's transaction:
 * takes the chain head (the row lock orders concurrent writers), numbers the
 * events with gapless seqs, hashes each onto the previous one, inserts them and
 * moves the head. Nothing is visible until the caller commits.
 */
export async function appendInTransaction(tx: TransactionSql, organizationId: string, events: PreparedEvent[]): Promise<AppendedEvent[]> {
  if (events.length === 0) return [];
  const [head] = await tx<{ chain_seq: string; chain_hash: string }[]>`
    update organizations set chain_seq = chain_seq + ${events.length}
    where id = ${organizationId}
    returning chain_seq, chain_hash`;
  if (!head) throw new Error(`organization ${organizationId} vanished during append`);
  let seq = Number(head.chain_seq) - events.length;
  let prevHash = head.chain_hash;
  const now = new Date();
  const rows = events.map((event) => {
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
    const row = {
      organization_id: organizationId,
      id: event.id,
      seq,
      action: event.action,
      version: event.version,
      occurred_at: event.occurredAt.toISOString(),
      received_at: receivedAt.toISOString(),
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      actor_name: event.actor.name ?? null,
      actor_metadata: event.actor.metadata ? tx.json(event.actor.metadata) : null,
      targets: tx.json(event.targets),
      target_ids: event.targets.map((t) => t.id),
      target_types: event.targets.map((t) => t.type),
      ip: event.ip,
      user_agent: event.userAgent,
      metadata: tx.json(event.metadata),
      search_text: searchText(event),
      idempotency_key: event.idempotencyKey ?? null,
      hash,
      prev_hash: prevHash,
    };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx`insert into audit_events ${tx(rows.slice(i, i + INSERT_CHUNK))}`;
  }
  const lastOccurred = events.reduce((max, e) => (e.occurredAt > max ? e.occurredAt : max), events[0]!.occurredAt);
  await tx`update organizations set chain_hash = ${prevHash},
    last_event_at = greatest(last_event_at, ${lastOccurred.toISOString()}::timestamptz)
    where id = ${organizationId}`;
  await updateActionStats(tx, organizationId, events);
  return rows.map((r) => ({ id: r.id, seq: r.seq, hash: r.hash }));
}
