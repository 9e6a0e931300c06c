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

export function entity(type: string, id: string, name: string | null | undefined, metadata: Metadata | null | undefined): EventEntity {
  return { type, id, ...(name != null ? { name } : {}), ...(metadata != null ? { metadata } : {}) };
}

/** An IPv4 host as PostgreSQL writes an inet: the canonical dotted quad (a /32 is accepted too). */
const STORED_IPV4_HOST = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:\/32)?$/;

/** The stored inet as the API writes an address: most are IPv4, already canonical, and skip the parse. */
function locationOf(ip: string): string | null {
  return STORED_IPV4_HOST.exec(ip)?.[1] ?? normalizeIp(ip.replace(/\/(32|128)$/, ""));
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
