import type { AuditEvent, EventEntity, Metadata } from "./types";
import { normalizeIp } from "@/lib/ip";
import type { eventColumns } from "./event-columns";
import type { EventRow } from "./store/visible-events";

/** The columns of audit_events that make up an event; the JSON ones as ingest checked them. */
export type StoredEventRow = Omit<Pick<EventRow, keyof ReturnType<typeof eventColumns>>, "actorMetadata" | "targets" | "metadata"> & {
  actorMetadata: Metadata | null;
  targets: EventEntity[];
  metadata: Metadata | null;
};

/**
 * A stored event as postgres.js returns eventColumns' SQL on drizzle's pool: by
 * column name, timestamps as PostgreSQL writes them (drizzle's pool leaves them
 * to drizzle), JSON parsed, bigint as text.
 */
export type RawEventRow = {
  organization_id: string;
  id: string;
  seq: string;
  action: string;
  version: number;
  occurred_at: string;
  received_at: string;
  actor_type: string;
  actor_id: string;
  actor_name: string | null;
  actor_metadata: Metadata | null;
  targets: EventEntity[];
  ip: string | null;
  user_agent: string | null;
  metadata: Metadata | null;
  hash: string;
};

/** The raw row as drizzle would have mapped it, without its per-cell checks (most of a page's cost in Node). */
export function storedEventRow(raw: RawEventRow): StoredEventRow {
  return {
    organizationId: raw.organization_id,
    id: raw.id,
    seq: Number(raw.seq),
    action: raw.action,
    version: raw.version,
    occurredAt: new Date(raw.occurred_at),
    receivedAt: new Date(raw.received_at),
    actorType: raw.actor_type,
    actorId: raw.actor_id,
    actorName: raw.actor_name,
    actorMetadata: raw.actor_metadata,
    targets: raw.targets,
    ip: raw.ip,
    userAgent: raw.user_agent,
    metadata: raw.metadata,
    hash: raw.hash,
  };
}

export function entity(type: string, id: string, name: string | null | undefined, metadata: Metadata | null | undefined): EventEntity {
  return { type, id, ...(name != null ? { name } : {}), ...(metadata != null ? { metadata } : {}) };
}

/** An IPv4 host as PostgreSQL writes an inet: the canonical dotted quad (a /32 is accepted too). */
const STORED_IPV4_HOST = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:\/32)?$/;

/** The stored inet as the API writes an address, never a network: most are IPv4, already canonical, and skip the parse. */
function locationOf(ip: string): string | null {
  return STORED_IPV4_HOST.exec(ip)?.[1] ?? normalizeIp(ip.replace(/\/128$/, ""));
}

/** The event as returned by the API; without `hash` it is exactly what the chain hashes. */
export function toAuditEvent(row: StoredEventRow): AuditEvent {
  const location = row.ip == null ? null : locationOf(row.ip);
  return {
    id: row.id,
    organization_id: row.organizationId,
    seq: Number(row.seq),
    action: row.action,
    version: row.version,
    occurred_at: row.occurredAt.toISOString(),
    received_at: row.receivedAt.toISOString(),
    actor: entity(row.actorType, row.actorId, row.actorName, row.actorMetadata),
    targets: row.targets.map((t) => entity(t.type, t.id, t.name, t.metadata)),
    context: {
      ...(location ? { location } : {}),
      ...(row.userAgent != null ? { user_agent: row.userAgent } : {}),
    },
    metadata: row.metadata ?? {},
    hash: row.hash,
  };
}

export function withoutHash(event: AuditEvent): Omit<AuditEvent, "hash"> {
  const { hash: _hash, ...rest } = event;
  void _hash;
  return rest;
}
