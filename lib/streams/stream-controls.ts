import "server-only";
import { sql } from "@/db/client";
import { requirePermission } from "@/lib/access/require-permission";
import type { Scope } from "@/lib/access/scope";
import type { RequestContext } from "@/lib/auth/request-context";
import { badRequest, conflict } from "@/lib/errors";
import { firstSeqOccurredSince } from "@/lib/events/search";
import { isWithinTimeBounds, TIME_BOUNDS_TEXT } from "@/lib/events/time-bounds";
import { generateWebhookSecret } from "./standard-webhooks";
import { wakeStream } from "./stream-job";
import { pauseStreamSchema, replayStreamSchema } from "./stream-input";
import { findStreamRow, openDestination, recordStreamEvent, sealSecrets, streamJsonOf } from "./stream-store";
import { DELIVERY_COLUMNS, DELIVERY_LOG_SIZE, toDeliveryJson, type DeliveryJson, type DeliveryRow, type StreamJson } from "./stream-view";

/*
 * What a person does to a running stream: pause and resume it, replay it from
 * a time, rotate a webhook's signing secret, read its delivery log. Each change
 * is an event in the organization's log, in the change's transaction.
 */

export async function pauseStream(scope: Scope, context: RequestContext, streamId: string, input: unknown): Promise<StreamJson> {
  requirePermission(scope, "streams.manage");
  const { reason } = pauseStreamSchema.parse(input ?? {});
  return sql().begin(async (tx) => {
    const row = await findStreamRow(scope.organization.id, streamId, tx, true);
    if (row.paused_at) throw conflict("The log stream is already paused");
    const pausedReason = reason ? `Paused by ${scope.principal.name}: ${reason}` : `Paused by ${scope.principal.name}`;
    await tx`update log_streams set paused_at = now(), paused_reason = ${pausedReason}, updated_at = now() where organization_id = ${row.organization_id} and id = ${row.id}`;
    await recordStreamEvent(tx, scope, context, "paused", row, { type: row.type, ...(reason ? { reason } : {}) });
    return streamJsonOf(await findStreamRow(row.organization_id, row.id, tx));
  });
}

/** Resumes delivery at the stream's cursor: every event since it was paused or began failing is sent, none skipped. */
export async function resumeStream(scope: Scope, context: RequestContext, streamId: string): Promise<StreamJson> {
  requirePermission(scope, "streams.manage");
  const stream = await sql().begin(async (tx) => {
    const row = await findStreamRow(scope.organization.id, streamId, tx, true);
    if (!row.paused_at && !row.failing_since) throw conflict("The log stream is not paused or failing");
    await tx`
      update log_streams set paused_at = null, paused_reason = null, failing_since = null, failing_reported_at = null,
        consecutive_failures = 0, next_attempt_at = now(), updated_at = now()
      where organization_id = ${row.organization_id} and id = ${row.id}`;
    await recordStreamEvent(tx, scope, context, "resumed", row, { type: row.type, from_seq: Number(row.cursor_seq) + 1 });
    return streamJsonOf(await findStreamRow(row.organization_id, row.id, tx));
  });
  await wakeStream(stream.id);
  return stream;
}

/**
 * Sends again every event from a time on (owners only): the cursor moves back
 * to just before the first event that occurred at or after `from`, and each
 * replayed batch gets a new webhook-id, so receivers that dedupe take it.
 */
export async function replayStream(scope: Scope, context: RequestContext, streamId: string, input: unknown): Promise<StreamJson> {
  requirePermission(scope, "streams.replay");
  const { from } = replayStreamSchema.parse(input);
  const at = new Date(from);
  if (!isWithinTimeBounds(at)) throw badRequest("from is out of range", [{ path: "from", message: `must lie ${TIME_BOUNDS_TEXT}` }]);
  const stream = await sql().begin(async (tx) => {
    const row = await findStreamRow(scope.organization.id, streamId, tx, true);
    // Retention may have purged the first events: start at the oldest kept event at or after `from`.
    // A replay only goes back: from a time after the cursor, the events not yet delivered are still sent.
    const first = await firstSeqOccurredSince(scope, at);
    const cursor = Math.min(Number(row.cursor_seq), first === null ? Number(row.head_seq) : first - 1);
    await tx`
      update log_streams set cursor_seq = ${cursor}, replay_count = replay_count + 1, next_attempt_at = now(), updated_at = now()
      where organization_id = ${row.organization_id} and id = ${row.id}`;
    await recordStreamEvent(tx, scope, context, "replayed", row, { type: row.type, from: at.toISOString(), from_seq: cursor + 1 });
    return streamJsonOf(await findStreamRow(row.organization_id, row.id, tx));
  });
  await wakeStream(stream.id);
  return stream;
}

/** A new webhook signing secret, returned once; the previous one also signs for 24 hours, so receivers can switch without a gap. */
export async function rotateWebhookSecret(scope: Scope, context: RequestContext, streamId: string): Promise<{ stream: StreamJson; secret: string }> {
  requirePermission(scope, "streams.manage");
  const secret = generateWebhookSecret();
  const stream = await sql().begin(async (tx) => {
    const row = await findStreamRow(scope.organization.id, streamId, tx, true);
    const destination = openDestination(row);
    if (destination.config.type !== "webhook") throw badRequest("Only a webhook stream has a signing secret; change a Splunk token or Datadog API key by updating the destination");
    const secrets = destination.secrets as { signing_secrets: string[]; headers: Record<string, string> };
    const rotated = { ...secrets, signing_secrets: [secret, secrets.signing_secrets[0]!] };
    await tx`
      update log_streams set secrets_encrypted = ${sealSecrets(row.id, rotated)}, secret_rotated_at = now(), updated_at = now()
      where organization_id = ${row.organization_id} and id = ${row.id}`;
    await recordStreamEvent(tx, scope, context, "secret_rotated", row, { type: row.type });
    return streamJsonOf(await findStreamRow(row.organization_id, row.id, tx));
  });
  return { stream, secret };
}

/** The latest delivery attempts, newest first. */
export async function listDeliveries(scope: Scope, streamId: string, limit = 50): Promise<DeliveryJson[]> {
  requirePermission(scope, "streams.read");
  const row = await findStreamRow(scope.organization.id, streamId);
  const rows = await sql()<DeliveryRow[]>`
    select ${sql().unsafe(DELIVERY_COLUMNS)}
    from log_stream_deliveries
    where organization_id = ${row.organization_id} and stream_id = ${row.id}
    order by id desc limit ${Math.min(Math.max(limit, 1), DELIVERY_LOG_SIZE)}`;
  return rows.map(toDeliveryJson);
}
