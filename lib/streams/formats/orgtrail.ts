import type { AuditEvent } from "@/lib/events/types";

/** Orgtrail's own format: the event exactly as the API returns it (with id, seq and hash). */
export function toOrgtrailEvent(event: AuditEvent): AuditEvent {
  return event;
}
