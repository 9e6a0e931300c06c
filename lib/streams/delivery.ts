import "server-only";
import { sql } from "@/db/client";
import { streamReaderScope } from "@/lib/access/scope";
import { eventsForStream } from "@/lib/events/search";
import type { AuditEvent } from "@/lib/events/types";
import { planDeliveryRequests } from "./destinations/plan-requests";
import { formatEvent } from "./formats/format-event";
import { sendRequest, type SendResult } from "./http-send";
import { streamsAllowPrivate } from "./destination-guard";
import { recordDelivery, recordFailure, advanceCursor } from "./delivery-state";
import { findStreamRow, openDestination } from "./stream-store";
import { activeSigningSecrets } from "./signing-secrets";
import type { StreamRow } from "./stream-view";

/*
 * Delivers one stream, at least once and in seq order: read the events after
 * the cursor that match the stream's filter, send them, and move the cursor
 * past them only once the destination took them. A worker that dies mid-batch
 * leaves the cursor where it was, so the batch is sent again (receivers dedupe
 * on each event's id and seq, and on a webhook's webhook-id).
 */

export const STREAM_BATCH_SIZE = 1000;
/** How long one run of a stream's job delivers before it lets the queue go round. */
const RUN_BUDGET_MS = 10_000;
/** How soon a caught-up stream looks again for new events. */
const IDLE_POLL_MS = 500;
const PAUSED_POLL_MS = 60_000;

type Outcome = { kind: "caught_up" } | { kind: "progress"; readAhead?: Promise<ReadBatch> } | { kind: "failed"; retryAt: Date };

/** How a batch is read and sent; the defaults are production's, tests and benchmarks shrink them. */
export type DeliveryOptions = { batchSize?: number; responseTimeoutMs?: number };

/** A stream's outbound requests, with this deployment's address rules. */
export const sendToDestination = (request: Parameters<typeof sendRequest>[0], options: Pick<DeliveryOptions, "responseTimeoutMs"> = {}): Promise<SendResult> =>
  sendRequest(request, { allowPrivate: streamsAllowPrivate(), ...(options.responseTimeoutMs ? { responseTimeoutMs: options.responseTimeoutMs } : {}) });

/** Events read for a stream: those matching its filter in (afterSeq, scannedTo], with the stream's settings they were read under. */
type ReadBatch = { afterSeq: number; scannedTo: number; full: boolean; events: AuditEvent[]; filter: string; replay: number };

async function readBatch(row: StreamRow, afterSeq: number, batchSize: number): Promise<ReadBatch> {
  const head = Number(row.head_seq);
  const scope = await streamReaderScope(row.organization_id);
  const events = await eventsForStream(scope, { afterSeq, upToSeq: head, q: row.filter, limit: batchSize });
  const full = events.length === batchSize;
  // Fewer than a batch: every event up to the head was looked at, so the cursor may move to the head.
  return { afterSeq, scannedTo: full ? events.at(-1)!.seq : head, full, events, filter: row.filter, replay: row.replay_count };
}

/**
 * Sends the next batch of one stream, or moves its cursor to the head when no
 * event after it matches the filter. `readAhead` is the batch a previous call
 * read while its request was in flight; it is used only if the stream is still
 * where, and as, it was then (same cursor, filter and replay).
 */
export async function deliverNextBatch(row: StreamRow, options: DeliveryOptions = {}, readAhead?: Promise<ReadBatch>): Promise<Outcome> {
  const batchSize = options.batchSize ?? STREAM_BATCH_SIZE;
  const cursor = Number(row.cursor_seq);
  if (Number(row.head_seq) <= cursor) return { kind: "caught_up" };
  const ahead = await readAhead?.catch(() => undefined);
  const read = ahead && ahead.afterSeq === cursor && ahead.filter === row.filter && ahead.replay === row.replay_count ? ahead : await readBatch(row, cursor, batchSize);
  if (read.events.length === 0) {
    await advanceCursor(row, cursor, read.scannedTo);
    return { kind: "caught_up" };
  }
  const destination = activeSigningSecrets(openDestination(row), row.secret_rotated_at);
  const batch = { streamId: row.id, format: row.format, replay: row.replay_count, events: read.events.map((event) => formatEvent(event, row.format)) };
  const planned = planDeliveryRequests(batch, destination);
  // A full batch means more may wait behind it: read them while the destination takes this one.
  const next = read.full ? readBatch(row, read.scannedTo, batchSize) : undefined;
  next?.catch(() => undefined);
  let delivered = cursor;
  for (const [index, request] of planned.entries()) {
    const result = await sendToDestination(request.request, options);
    await recordDelivery(row, "batch", result, request);
    if (result.outcome !== "delivered") return { kind: "failed", retryAt: await recordFailure(row, result) };
    const to = index === planned.length - 1 ? read.scannedTo : request.lastSeq;
    if (!(await advanceCursor(row, delivered, to))) return { kind: "progress" };
    delivered = to;
  }
  return next ? { kind: "progress", readAhead: next } : { kind: "caught_up" };
}

/**
 * The recurring job of one stream (lib/streams/stream-job.ts): delivers batches
 * until the stream is caught up, fails, or its time is up, then says when to run
 * again. A deleted stream ends its job.
 */
export async function runStreamJob(
  payload: Record<string, unknown>,
  job: { heartbeat: () => Promise<void> },
  options: DeliveryOptions = {},
): Promise<void | { runAgainAt: Date }> {
  const organizationId = String(payload.organizationId);
  const streamId = String(payload.streamId);
  const started = Date.now();
  const later = (ms: number) => ({ runAgainAt: new Date(Date.now() + ms) });
  let readAhead: Promise<ReadBatch> | undefined;
  for (;;) {
    const row = await findStreamRow(organizationId, streamId).catch((error: unknown) => {
      if ((error as { code?: string }).code === "not_found") return null;
      throw error;
    });
    if (!row) return;
    if (row.paused_at) return later(PAUSED_POLL_MS);
    if (row.next_attempt_at.getTime() > Date.now()) return { runAgainAt: row.next_attempt_at };
    const outcome = await deliverNextBatch(row, options, readAhead);
    readAhead = outcome.kind === "progress" ? outcome.readAhead : undefined;
    await job.heartbeat();
    if (outcome.kind === "caught_up") return later(IDLE_POLL_MS);
    if (outcome.kind === "failed") return { runAgainAt: outcome.retryAt };
    if (Date.now() - started > RUN_BUDGET_MS) return later(0);
  }
}

/** Whether any of the organization's streams is failing (the owners' banner). */
export async function failingStreams(organizationId: string): Promise<{ id: string; name: string; failing_since: Date }[]> {
  return sql()<{ id: string; name: string; failing_since: Date }[]>`
    select id, name, failing_since from log_streams
    where organization_id = ${organizationId} and paused_at is null and failing_reported_at is not null
    order by failing_since`;
}
