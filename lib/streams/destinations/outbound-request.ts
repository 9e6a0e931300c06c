import type { FormattedEvent, StreamFormat } from "../formats/format-event";

/** One HTTP POST to a destination, built without I/O; lib/streams/http-send.ts sends it. */
export type OutboundRequest = { url: string; headers: Record<string, string>; body: Buffer };

/** Consecutive events of one stream, in seq order, already in the stream's format. */
export type DeliveryBatch = {
  streamId: string;
  format: StreamFormat;
  events: readonly FormattedEvent[];
  /** Raised each time an owner replays the stream, so a replayed batch gets a new webhook-id and is not deduped away. */
  replay?: number;
};

/** A request and the events it carries, so the cursor can move past them once it succeeds. */
export type PlannedRequest = { request: OutboundRequest; firstSeq: number; lastSeq: number; eventCount: number };

/** The batch's seq range; throws on an empty batch (there is nothing to send). */
export function seqRange(batch: DeliveryBatch): { firstSeq: number; lastSeq: number } {
  const first = batch.events[0];
  const last = batch.events[batch.events.length - 1];
  if (!first || !last) throw new Error("a delivery batch needs at least one event");
  return { firstSeq: first.seq, lastSeq: last.seq };
}
