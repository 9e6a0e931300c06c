import "server-only";
import type { VisibleEvents } from "./store/visible-events";

/** The columns that make up an event as returned (see stored-event.ts), of the events a read selects from. */
export const eventColumns = (events: VisibleEvents) => ({
  organizationId: events.organizationId,
  id: events.id,
  seq: events.seq,
  action: events.action,
  version: events.version,
  occurredAt: events.occurredAt,
  receivedAt: events.receivedAt,
  actorType: events.actorType,
  actorId: events.actorId,
  actorName: events.actorName,
  actorMetadata: events.actorMetadata,
  targets: events.targets,
  ip: events.ip,
  userAgent: events.userAgent,
  metadata: events.metadata,
  hash: events.hash,
});
