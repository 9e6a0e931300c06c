import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import type { AuditEvent } from "../types";
import type { EventRow } from "./visible-events";

/*
 * The raw SQL that changes audit_events: the chained insert (append.ts) and the
 * retention purge (retention.ts), with the purge's own reads of where the
 * expired prefix of an organization's chain ends. Nothing here is read out to
 * a caller beyond seqs, hashes and what the purge needs to fix the counts.
 */

/** One event as the insert's column arrays take it: times as ISO text, JSON columns as JSON text. */
export type EventInsertRow = Pick<
  EventRow,
  "id" | "seq" | "action" | "version" | "actorType" | "actorId" | "actorName" | "ip" | "userAgent" | "searchText" | "idempotencyKey" | "hash" | "prevHash"
> & {
  occurredAt: string;
  receivedAt: string;
  actorMetadata: string | null;
  targets: string;
  metadata: string;
};

/**
 * One INSERT … SELECT FROM unnest(column arrays): a parameter per column
 * instead of one per value, several times faster than multi-row VALUES here.
 * Executed at once (written to the connection now, not on the next tick), so
 * PostgreSQL starts on it while the caller goes on.
 */
export function insertEventRows(tx: TransactionSql, organizationId: string, rows: EventInsertRow[]): Promise<unknown> {
  const column = <K extends keyof EventInsertRow>(key: K) => rows.map((r) => r[key]) as never;
  return tx`
    insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id,
      actor_name, actor_metadata, targets, target_ids, target_types, ip, user_agent, metadata, search_text, idempotency_key, hash, prev_hash)
    select ${organizationId}::uuid, u.id, u.seq, u.action, u.version, u.occurred_at, u.received_at, u.actor_type, u.actor_id,
      u.actor_name, u.actor_metadata, u.targets,
      array(select t.e ->> 'id' from jsonb_array_elements(u.targets) with ordinality as t(e, n) order by t.n),
      array(select t.e ->> 'type' from jsonb_array_elements(u.targets) with ordinality as t(e, n) order by t.n),
      u.ip, u.user_agent, u.metadata, u.search_text, u.idempotency_key, u.hash, u.prev_hash
    from unnest(
      ${tx.array(column("id"))}::uuid[], ${tx.array(column("seq"))}::bigint[], ${tx.array(column("action"))}::text[],
      ${tx.array(column("version"))}::int[], ${tx.array(column("occurredAt"))}::timestamptz[], ${tx.array(column("receivedAt"))}::timestamptz[],
      ${tx.array(column("actorType"))}::text[], ${tx.array(column("actorId"))}::text[], ${tx.array(column("actorName"))}::text[],
      ${tx.array(column("actorMetadata"))}::jsonb[], ${tx.array(column("targets"))}::jsonb[], ${tx.array(column("ip"))}::inet[],
      ${tx.array(column("userAgent"))}::text[], ${tx.array(column("metadata"))}::jsonb[], ${tx.array(column("searchText"))}::text[],
      ${tx.array(column("idempotencyKey"))}::text[], ${tx.array(column("hash"))}::text[], ${tx.array(column("prevHash"))}::text[]
    ) as u(id, seq, action, version, occurred_at, received_at, actor_type, actor_id, actor_name, actor_metadata, targets,
      ip, user_agent, metadata, search_text, idempotency_key, hash, prev_hash)`.execute();
}

/** The seq of the organization's first event after `afterSeq` received at or after `cutoff`, or null: the purge keeps it and all after. */
export async function firstSeqReceivedSince(organizationId: string, afterSeq: number, cutoff: Date): Promise<number | null> {
  const [kept] = await sql()<{ seq: string }[]>`
    select seq from audit_events
    where organization_id = ${organizationId} and seq > ${afterSeq} and received_at >= ${cutoff.toISOString()}::timestamptz
    order by seq limit 1`;
  return kept ? Number(kept.seq) : null;
}

/** The seq of the organization's last event received before `at` (0 if none): where live mode starts for a viewer who was shown nothing. Walks back from the head, so `at` should be recent. */
export async function lastSeqReceivedBefore(organizationId: string, at: Date): Promise<number> {
  const [last] = await sql()<{ seq: string }[]>`
    select seq from audit_events
    where organization_id = ${organizationId} and received_at < ${at.toISOString()}::timestamptz
    order by seq desc limit 1`;
  return last ? Number(last.seq) : 0;
}

/** The last stored event with a seq in (afterSeq, upTo]: the point a purge through upTo moves the checkpoint to. */
export async function lastEventUpTo(tx: TransactionSql, organizationId: string, afterSeq: number, upTo: number): Promise<{ seq: number; hash: string } | null> {
  const [last] = await tx<{ seq: string; hash: string }[]>`
    select seq, hash from audit_events
    where organization_id = ${organizationId} and seq > ${afterSeq} and seq <= ${upTo}
    order by seq desc limit 1`;
  return last ? { seq: Number(last.seq), hash: last.hash } : null;
}

export type DeletedEvent = { seq: string; hash: string; action: string; occurred_at: Date; target_types: string[]; target_ids: string[] };

/** Deletes the first `limit` events with a seq in (afterSeq, throughSeq], returning what the purge needs to move the checkpoint and fix the counts. */
export function deleteEventsUpTo(
  tx: TransactionSql,
  organizationId: string,
  afterSeq: number,
  throughSeq: number,
  limit: number,
): Promise<DeletedEvent[]> {
  return tx<DeletedEvent[]>`
    delete from audit_events where organization_id = ${organizationId} and seq in (
      select seq from audit_events where organization_id = ${organizationId} and seq > ${afterSeq} and seq <= ${throughSeq}
      order by seq limit ${limit})
    returning seq, hash, action, occurred_at, target_types, target_ids`;
}

/** The organization's newest event of an action (its actor and metadata), or null: the latest purge event names where a running purge will leave the checkpoint. */
export async function newestEventOf(
  tx: TransactionSql,
  organizationId: string,
  action: string,
): Promise<Pick<AuditEvent, "action" | "actor" | "metadata"> | null> {
  const [row] = await tx<{ actor_type: string; actor_id: string; metadata: AuditEvent["metadata"] | null }[]>`
    select actor_type, actor_id, metadata from audit_events
    where organization_id = ${organizationId} and action = ${action}
    order by occurred_at desc, id desc limit 1`;
  return row ? { action, actor: { type: row.actor_type, id: row.actor_id }, metadata: row.metadata ?? {} } : null;
}
