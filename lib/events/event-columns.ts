import "server-only";
import { auditEvents } from "@/db/schema";

/** The columns that make up an event as returned (see stored-event.ts). */
export const eventColumns = {
  organizationId: auditEvents.organizationId,
  id: auditEvents.id,
  seq: auditEvents.seq,
  action: auditEvents.action,
  version: auditEvents.version,
  occurredAt: auditEvents.occurredAt,
  receivedAt: auditEvents.receivedAt,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  actorName: auditEvents.actorName,
  actorMetadata: auditEvents.actorMetadata,
  targets: auditEvents.targets,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
  metadata: auditEvents.metadata,
  hash: auditEvents.hash,
};
