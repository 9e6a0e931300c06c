import "server-only";
import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { requirePermission } from "@/lib/access/require-permission";
import type { Scope } from "@/lib/access/scope";
import { actorOf } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";
import { checkDestinationUrl, streamsAllowPrivate } from "./destination-guard";
import { isDestinationOf, parseDestination, splitDestinationInput, type Destination } from "./destinations/config";
import { datadogIntakeUrl } from "./destinations/datadog";
import { streamSecretBox } from "./secret-box";
import { generateWebhookSecret } from "./standard-webhooks";
import { ensureStreamJob, wakeStream } from "./stream-job";
import { createStreamSchema, updateStreamSchema, type CreateStreamInput, type UpdateStreamInput } from "./stream-input";
import { STREAM_COLUMNS, toStreamJson, type StreamJson, type StreamRow } from "./stream-view";

/*
 * A log stream's settings: create, read, change, delete. Each change is an
 * `orgtrail.log_stream.*` event in the organization's own log, written in the
 * change's transaction. Secrets are sealed with the stream's id as associated
 * data, so a sealed value copied onto another stream does not open.
 */

export const sealSecrets = (streamId: string, secrets: Destination["secrets"]) => streamSecretBox().seal(JSON.stringify(secrets), streamId);
export const openDestination = (row: Pick<StreamRow, "id" | "config" | "secrets_encrypted">): Destination =>
  parseDestination(row.config, JSON.parse(streamSecretBox().open(row.secrets_encrypted, row.id)));

/** The stream's row as read for its organization, with the head of the organization's chain; 404 when it is not there. */
export async function findStreamRow(organizationId: string, streamId: string, tx: TransactionSql | ReturnType<typeof sql> = sql(), forUpdate = false): Promise<StreamRow> {
  if (!isUuid(streamId)) throw notFound("Log stream not found");
  const [row] = await tx<StreamRow[]>`
    select ${tx.unsafe(STREAM_COLUMNS)}
    from log_streams s left join event_chains c on c.organization_id = s.organization_id left join users u on u.id::text = s.created_by
    where s.organization_id = ${organizationId} and s.id = ${streamId.toLowerCase()}
    ${forUpdate ? tx`for update of s` : tx``}`;
  if (!row) throw notFound("Log stream not found");
  return row;
}

export const streamJsonOf = (row: StreamRow): StreamJson => toStreamJson(row, openDestination(row));

/** Refuses a destination whose address streams may not reach (https only, no private or metadata addresses). */
async function checkReachable(destination: Destination): Promise<void> {
  const url = destination.config.type === "datadog" ? datadogIntakeUrl(destination.config) : destination.config.url;
  const path = destination.config.type === "datadog" ? "destination.intake_url" : "destination.url";
  await checkDestinationUrl(url, { allowPrivate: streamsAllowPrivate(), path });
}

/** What an event about the stream says of it: never a secret. */
function streamEventMetadata(row: { type: string; format: string; filter: string }, destination: Destination): Record<string, string> {
  const url = destination.config.type === "datadog" ? datadogIntakeUrl(destination.config) : destination.config.url;
  return { type: row.type, format: row.format, ...(row.filter ? { filter: row.filter } : {}), url };
}

export async function recordStreamEvent(
  tx: TransactionSql,
  scope: Scope,
  context: RequestContext,
  change: "created" | "updated" | "deleted" | "paused" | "resumed" | "secret_rotated" | "replayed",
  stream: { id: string; name: string },
  metadata: Record<string, string | number>,
): Promise<void> {
  await recordAppEvent(tx, scope.organization.id, {
    action: `orgtrail.log_stream.${change}`,
    actor: actorOf(scope),
    targets: [{ type: "log_stream", id: stream.id, name: stream.name }],
    metadata,
    ...context,
  });
}

export async function listStreams(scope: Scope): Promise<StreamJson[]> {
  requirePermission(scope, "streams.read");
  const rows = await sql()<StreamRow[]>`
    select ${sql().unsafe(STREAM_COLUMNS)}
    from log_streams s left join event_chains c on c.organization_id = s.organization_id left join users u on u.id::text = s.created_by
    where s.organization_id = ${scope.organization.id}
    order by s.created_at, s.id`;
  return rows.map(streamJsonOf);
}

export async function getStream(scope: Scope, streamId: string): Promise<StreamJson> {
  requirePermission(scope, "streams.read");
  return streamJsonOf(await findStreamRow(scope.organization.id, streamId));
}

/** Creates a stream that starts with the next event; a webhook's signing secret is generated and returned here once. */
export async function createStream(scope: Scope, context: RequestContext, input: CreateStreamInput): Promise<{ stream: StreamJson; secret?: string }> {
  requirePermission(scope, "streams.manage");
  const parsed = createStreamSchema.parse(input);
  const webhookSecret = parsed.destination.type === "webhook" ? generateWebhookSecret() : undefined;
  const destination = splitDestinationInput(parsed.destination, webhookSecret ?? "");
  await checkReachable(destination);
  const id = randomUUID();
  const createdBy = scope.principal.kind === "user" ? scope.principal.userId : null;
  const row = await sql().begin(async (tx) => {
    // Starts at the head: a new stream sends what happens from now on (an owner can replay the past).
    await tx`
      insert into log_streams (organization_id, id, name, type, format, filter, config, secrets_encrypted, cursor_seq, created_by)
      values (${scope.organization.id}, ${id}, ${parsed.name}, ${destination.config.type}, ${parsed.format}, ${parsed.filter},
        ${tx.json(destination.config as never)}, ${sealSecrets(id, destination.secrets)},
        coalesce((select chain_seq from event_chains where organization_id = ${scope.organization.id}), 0), ${createdBy})`;
    await recordStreamEvent(tx, scope, context, "created", { id, name: parsed.name }, streamEventMetadata({ ...parsed, type: destination.config.type }, destination));
    return findStreamRow(scope.organization.id, id, tx);
  });
  await ensureStreamJob(scope.organization.id, id);
  return { stream: streamJsonOf(row), ...(webhookSecret ? { secret: webhookSecret } : {}) };
}

/**
 * Changes a stream's settings; a new destination is checked like a new one and
 * keeps a webhook's signing secrets. A stream that becomes a webhook gets a
 * signing secret, returned here once.
 */
export async function updateStream(scope: Scope, context: RequestContext, streamId: string, input: UpdateStreamInput): Promise<{ stream: StreamJson; secret?: string }> {
  requirePermission(scope, "streams.manage");
  const current = await findStreamRow(scope.organization.id, streamId);
  const parsed = updateStreamSchema.parse(input);
  // A webhook's signing secrets are taken from the locked row below (a rotation may commit meanwhile); this one is used only if it has none.
  const destination = parsed.destination ? splitDestinationInput(parsed.destination, generateWebhookSecret()) : null;
  if (destination) await checkReachable(destination);
  let newSecret: string | undefined;
  const changed = Object.entries(parsed).filter(([, value]) => value !== undefined).map(([key]) => key);
  const row = await sql().begin(async (tx) => {
    const locked = await findStreamRow(scope.organization.id, current.id, tx, true);
    if (destination && isDestinationOf(destination, "webhook")) {
      const previous = openDestination(locked);
      if (isDestinationOf(previous, "webhook")) destination.secrets.signing_secrets = previous.secrets.signing_secrets;
      else newSecret = destination.secrets.signing_secrets[0];
    }
    const next = { name: parsed.name ?? locked.name, filter: parsed.filter ?? locked.filter, format: parsed.format ?? locked.format };
    await tx`
      update log_streams set name = ${next.name}, filter = ${next.filter}, format = ${next.format},
        type = ${destination?.config.type ?? locked.type},
        config = ${tx.json((destination?.config ?? locked.config) as never)},
        secrets_encrypted = ${destination ? sealSecrets(locked.id, destination.secrets) : locked.secrets_encrypted},
        updated_at = now()
      where organization_id = ${scope.organization.id} and id = ${locked.id}`;
    const described = destination ?? openDestination(locked);
    await recordStreamEvent(tx, scope, context, "updated", { id: locked.id, name: next.name }, {
      ...streamEventMetadata({ ...next, type: described.config.type }, described),
      changed: changed.join(", "),
    });
    return findStreamRow(scope.organization.id, locked.id, tx);
  });
  await wakeStream(row.id);
  return { stream: streamJsonOf(row), ...(newSecret ? { secret: newSecret } : {}) };
}

export async function deleteStream(scope: Scope, context: RequestContext, streamId: string): Promise<void> {
  requirePermission(scope, "streams.manage");
  await sql().begin(async (tx) => {
    const row = await findStreamRow(scope.organization.id, streamId, tx, true);
    await tx`delete from log_streams where organization_id = ${scope.organization.id} and id = ${row.id}`;
    await recordStreamEvent(tx, scope, context, "deleted", { id: row.id, name: row.name }, streamEventMetadata(row, openDestination(row)));
  });
}
