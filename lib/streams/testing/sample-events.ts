import type { AuditEvent } from "@/lib/events/types";
import type { DeliveryBatch } from "../destinations/outbound-request";
import { formatEvent, type StreamFormat } from "../formats/format-event";

/** Test-only: an API event with every field set. */
export const SAMPLE_EVENT: AuditEvent = {
  id: "0193e0a4-5b1c-7d2e-8f3a-4b5c6d7e8f90",
  organization_id: "0193e0a4-0000-7000-8000-00000000a11c",
  seq: 42,
  action: "document.shared",
  version: 2,
  occurred_at: "2026-11-20T10:15:00.123Z",
  received_at: "2026-11-20T10:15:01.456Z",
  actor: { type: "user", id: "u_42", name: "Ada Lovelace", metadata: { email: "ada@acme.test" } },
  targets: [
    { type: "document", id: "doc_7", name: "Q3 plan" },
    { type: "team", id: "t_1", metadata: { size: 4 } },
  ],
  context: { location: "203.0.113.7", user_agent: "Mozilla/5.0 (X11)" },
  metadata: { shared_with: "finance@acme.test", request_id: "req_9" },
  hash: "ab".repeat(32),
};

/** Test-only: events with seq `from` … `from + count - 1`, a second apart, each `padding` characters of metadata bigger. */
export function sampleEvents(from: number, count: number, padding = 0): AuditEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = from + index;
    return {
      ...SAMPLE_EVENT,
      id: `0193e0a4-5b1c-7d2e-8f3a-${seq.toString(16).padStart(12, "0")}`,
      seq,
      occurred_at: new Date(Date.parse(SAMPLE_EVENT.occurred_at) + index * 1000).toISOString(),
      metadata: padding > 0 ? { ...SAMPLE_EVENT.metadata, padding: "p".repeat(padding) } : SAMPLE_EVENT.metadata,
    };
  });
}

export const SAMPLE_STREAM_ID = "0193e0a4-7777-7000-8000-0000000051ee";

/** Test-only: a delivery batch of sampleEvents in `format`. */
export function sampleBatch(from: number, count: number, format: StreamFormat = "orgtrail", padding = 0): DeliveryBatch {
  return { streamId: SAMPLE_STREAM_ID, format, events: sampleEvents(from, count, padding).map((event) => formatEvent(event, format)) };
}
