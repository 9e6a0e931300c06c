import { sql } from "@/db/client";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { resolveOrgScope, streamReaderScope, type Scope } from "@/lib/access/scope";
import { toErrorResponse } from "@/lib/api/error-response";
import { ingest } from "@/lib/events/ingest";
import { eventsAfterSeq } from "@/lib/events/search";
import type { AppendedEvent } from "@/lib/events/types";
import type { OrgRole } from "@/db/schema";
import { runStreamJob, type DeliveryOptions } from "../delivery";
import { findStreamRow } from "../stream-store";
import type { StreamRow } from "../stream-view";

/*
 * Test-only: organizations with a member of each role, events ingested the way
 * the API ingests them, and a stream's job driven to the head without a worker.
 */

export type OrgWithRoles = { id: string; slug: string; scopes: Record<OrgRole, Scope>; ingestKey: Awaited<ReturnType<typeof createKey>> };

export async function orgWithRoles(prefix = "ls"): Promise<OrgWithRoles> {
  const org = await createOrg(prefix);
  const roles: OrgRole[] = ["owner", "admin", "auditor", "member"];
  const entries = await Promise.all(roles.map(async (role) => [role, await resolveOrgScope(await createUser(org.id, role), org.slug)] as const));
  return { ...org, scopes: Object.fromEntries(entries) as Record<OrgRole, Scope>, ingestKey: await createKey(org.id, ["events:write"]) };
}

/** Ingests events through POST /api/v1/events' function; returns their ids and seqs in seq order. */
export async function ingestEvents(org: Pick<OrgWithRoles, "ingestKey">, events: Record<string, unknown>[]): Promise<AppendedEvent[]> {
  const appended: AppendedEvent[] = [];
  for (let start = 0; start < events.length; start += 1000) {
    const result = await ingest(org.ingestKey.principal, { events: events.slice(start, start + 1000) }, null);
    appended.push(...(result.body as { data: AppendedEvent[] }).data);
  }
  return appended;
}

/** `count` events whose action cycles through `actions`. */
export function someEvents(count: number, actions = ["user.signed_in", "document.shared"]): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => event({ action: actions[index % actions.length], metadata: { index } }));
}

/** The organization's stored events after `afterSeq` (its own orgtrail.* events included), in seq order, optionally only actions (not) starting with a prefix. */
export async function storedEvents(organizationId: string, afterSeq = 0, actions: { prefix?: string; notPrefix?: string } = {}): Promise<{ id: string; seq: number }[]> {
  const scope = await streamReaderScope(organizationId);
  const found: { id: string; seq: number }[] = [];
  for (let cursor = afterSeq; ; ) {
    const page = await eventsAfterSeq(scope, cursor, 1000);
    if (page.data.length === 0) return found;
    for (const { id, seq, action } of page.data) {
      if ((!actions.prefix || action.startsWith(actions.prefix)) && !(actions.notPrefix && action.startsWith(actions.notPrefix))) found.push({ id, seq });
    }
    cursor = page.last_seq;
  }
}

export const streamRow = (organizationId: string, streamId: string): Promise<StreamRow> => findStreamRow(organizationId, streamId);

const noHeartbeat = { heartbeat: async () => {} };

/**
 * Runs the stream's job until it is caught up (its next run is a poll, not a
 * retry), at most `maxRuns` times. A retry's wait is skipped by moving
 * next_attempt_at to now, as time passing would.
 */
export async function driveStream(organizationId: string, streamId: string, options: DeliveryOptions & { maxRuns?: number } = {}): Promise<StreamRow> {
  for (let run = 0; run < (options.maxRuns ?? 50); run++) {
    const row = await streamRow(organizationId, streamId);
    if (row.paused_at) return row;
    if (Number(row.cursor_seq) >= Number(row.head_seq) && row.consecutive_failures === 0) return row;
    await sql()`update log_streams set next_attempt_at = least(next_attempt_at, now()) where organization_id = ${organizationId} and id = ${streamId}`;
    await runStreamJob({ organizationId, streamId }, noHeartbeat, options);
  }
  return streamRow(organizationId, streamId);
}

/** What the API would answer for a call's error: status, code, message, issues; "ok" when it succeeds. */
export async function answerOf(promise: Promise<unknown>): Promise<{ status: number; code?: string; message?: string; issues?: { path: string; message: string }[] } | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    const response = toErrorResponse(error);
    const body = (await response.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } };
    return { status: response.status, ...body.error };
  }
}
