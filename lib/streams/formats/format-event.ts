import type { AuditEvent } from "@/lib/events/types";
import { toOcsfApiActivity, type OcsfOptions } from "./ocsf";
import { toOrgtrailEvent } from "./orgtrail";

export const STREAM_FORMATS = ["orgtrail", "ocsf"] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** An event ready for a destination: its payload, plus what delivery needs to know about it. */
export type FormattedEvent = {
  id: string;
  seq: number;
  /** occurred_at, in ms since the epoch. */
  time: number;
  payload: object;
};

export function formatEvent(event: AuditEvent, format: StreamFormat, options: OcsfOptions = {}): FormattedEvent {
  const payload = format === "ocsf" ? toOcsfApiActivity(event, options) : toOrgtrailEvent(event);
  return { id: event.id, seq: event.seq, time: Date.parse(event.occurred_at), payload };
}
