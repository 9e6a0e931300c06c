import "server-only";
import { sql } from "@/db/client";
import { LOG_STREAM_PRINCIPAL } from "@/lib/access/scope";
import { recordAppEvent } from "@/lib/events/app-events";
import type { SendResult } from "./http-send";
import { DELIVERY_COLUMNS, DELIVERY_LOG_SIZE, FAILING_AFTER_MS, toDeliveryJson, type DeliveryJson, type DeliveryRow, type StreamRow } from "./stream-view";

/*
 * What delivery writes about a stream: its cursor, its delivery log, and its
 * failures (back-off, pause on a refusal that will not change, the failing
 * report after a day).
 */

/** The actor of what a stream does on its own (a pause on refusal, the failing report). */
export const STREAM_ACTOR = { type: "system", id: LOG_STREAM_PRINCIPAL.id, name: LOG_STREAM_PRINCIPAL.name };

const MAX_BACKOFF_SECONDS = 600;
const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * Moves the cursor from `from` to `to`, only if nobody moved it meanwhile (a
 * replay sets it back and raises replay_count): returns whether it moved.
 */
export async function advanceCursor(row: Pick<StreamRow, "organization_id" | "id" | "replay_count">, from: number, to: number): Promise<boolean> {
  if (to <= from) return true;
  const moved = await sql()`
    update log_streams set cursor_seq = ${to}, consecutive_failures = 0, failing_since = null, failing_reported_at = null,
      last_error = null, last_delivered_at = case when ${to} > cursor_seq then now() else last_delivered_at end
    where organization_id = ${row.organization_id} and id = ${row.id} and cursor_seq = ${from} and replay_count = ${row.replay_count}`;
  return moved.count === 1;
}

/** The one-line reason of a failed attempt, for the delivery log and the settings page; never the request's secrets. */
export function failureText(result: SendResult): string {
  if (result.error) return `${result.error.kind}: ${result.error.message}`.slice(0, 500);
  const snippet = result.responseSnippet ? `: ${result.responseSnippet.replace(/\s+/g, " ").trim()}` : "";
  return `HTTP ${result.status}${snippet}`.slice(0, 500);
}

/** Adds an attempt to the stream's delivery log and keeps the log to its latest entries. */
export async function recordDelivery(
  row: Pick<StreamRow, "organization_id" | "id">,
  kind: "batch" | "test",
  result: SendResult,
  carried: { firstSeq: number | null; lastSeq: number | null; eventCount: number },
): Promise<DeliveryJson> {
  const ok = result.outcome === "delivered";
  // One round trip: the prune sees the log as it was before this insert, so it keeps the latest DELIVERY_LOG_SIZE - 1 and the new one.
  const [added] = await sql()<DeliveryRow[]>`
    with added as (
      insert into log_stream_deliveries (organization_id, stream_id, kind, ok, status, latency_ms, event_count, first_seq, last_seq, error)
      values (${row.organization_id}, ${row.id}, ${kind}, ${ok}, ${result.status ?? null}, ${Math.round(result.latencyMs)}, ${carried.eventCount},
        ${carried.firstSeq}, ${carried.lastSeq}, ${ok ? null : failureText(result)})
      returning ${sql().unsafe(DELIVERY_COLUMNS)}),
    pruned as (
      delete from log_stream_deliveries
      where organization_id = ${row.organization_id} and stream_id = ${row.id}
        and id <= (select id from log_stream_deliveries where organization_id = ${row.organization_id} and stream_id = ${row.id}
                   order by id desc offset ${DELIVERY_LOG_SIZE - 1} limit 1))
    select * from added`;
  return toDeliveryJson(added!);
}

/** When to try again after `failures` failures in a row: exponential, ±20 % jitter, at least what Retry-After asked. */
export function retryDelaySeconds(failures: number, retryAfterSeconds: number | undefined, random = Math.random()): number {
  const backoff = Math.min(2 ** Math.max(0, failures - 1), MAX_BACKOFF_SECONDS) * (0.8 + 0.4 * random);
  return Math.max(backoff, Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS));
}

/**
 * Records a failed attempt on the stream: a refusal that will not change (a
 * 4xx other than 408/429, a refused address) pauses it with the reason; any
 * other failure is retried later, and after 24 hours of failures the stream
 * is reported failing, once, in the organization's log. Returns when to retry.
 */
export async function recordFailure(row: StreamRow, result: SendResult): Promise<Date> {
  const reason = failureText(result);
  const failures = row.consecutive_failures + 1;
  const retryAt = new Date(Date.now() + retryDelaySeconds(failures, result.retryAfterSeconds) * 1000);
  const permanent = result.outcome === "permanent";
  const pausedReason = `The destination refused delivery (${reason}); fix it and resume: delivery restarts where it stopped`;
  await sql().begin(async (tx) => {
    // Judged on the locked row, not the one the run started with: the failing report goes out once per failure run, whoever records it.
    const [updated] = await tx<{ failing_since: Date; reported: boolean; cursor_seq: string }[]>`
      with before as (
        select failing_reported_at from log_streams
        where organization_id = ${row.organization_id} and id = ${row.id} and paused_at is null
        for update)
      update log_streams s set consecutive_failures = s.consecutive_failures + 1, failing_since = coalesce(s.failing_since, now()),
        last_error = ${reason}, next_attempt_at = ${retryAt.toISOString()},
        paused_at = case when ${permanent} then now() else s.paused_at end,
        paused_reason = case when ${permanent} then ${pausedReason} else s.paused_reason end,
        failing_reported_at = case
          when not ${permanent} and s.failing_reported_at is null and s.failing_since <= now() - make_interval(secs => ${FAILING_AFTER_MS / 1000}) then now()
          else s.failing_reported_at end
      from before
      where s.organization_id = ${row.organization_id} and s.id = ${row.id}
      returning s.failing_since, (before.failing_reported_at is null and s.failing_reported_at is not null) as reported, s.cursor_seq`;
    if (!updated || (!permanent && !updated.reported)) return;
    const target = { type: "log_stream", id: row.id, name: row.name };
    await recordAppEvent(tx, row.organization_id, permanent
      ? { action: "orgtrail.log_stream.paused", actor: STREAM_ACTOR, targets: [target], metadata: { type: row.type, reason } }
      : {
          action: "orgtrail.log_stream.failing",
          actor: STREAM_ACTOR,
          targets: [target],
          metadata: { type: row.type, failing_since: updated.failing_since.toISOString(), last_error: reason, cursor_seq: Number(updated.cursor_seq) },
        });
  });
  return retryAt;
}
