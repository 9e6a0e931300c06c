import "server-only";
import { and, asc, desc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { ApiError, notFound } from "@/lib/api/errors";
import { decodeCursor, encodeCursor, filterFingerprint } from "./cursor";
import { parseQuery, QueryError } from "./query-language";
import { queryConditions } from "./query-sql";
import { eventColumns } from "./event-columns";
import { eventsVisibleTo } from "./scoped-query";
import { toAuditEvent, type StoredEventRow } from "./stored-event";
import type { AuditEvent } from "./types";


export type EventFilter = { q?: string; from?: Date; to?: Date };
export type SearchParams = EventFilter & { limit: number; cursor?: string; order: "asc" | "desc" };
export type SearchPage = { data: AuditEvent[]; next_cursor: string | null };

/** The conditions of a filter (query language, time range) inside the scope. Bad queries are a 400 naming the term. */
export function filterConditions(scope: Scope, filter: EventFilter, now: Date): SQL {
  const conditions: (SQL | undefined)[] = [eventsVisibleTo(scope)];
  if (filter.q) {
    try {
      conditions.push(queryConditions(parseQuery(filter.q), now));
    } catch (error) {
      if (error instanceof QueryError) {
        throw new ApiError(400, "invalid_query", error.message, [{ path: `q[${error.start}:${error.end}]`, message: `${error.term}: ${error.message}` }]);
      }
      throw error;
    }
  }
  if (filter.from) conditions.push(gte(auditEvents.occurredAt, filter.from));
  if (filter.to) conditions.push(lt(auditEvents.occurredAt, filter.to));
  return and(...conditions)!;
}

/** One page of events, newest first by default, with a keyset cursor on (occurred_at, id). */
export async function searchEvents(scope: Scope, params: SearchParams, now = new Date()): Promise<SearchPage> {
  const where = filterConditions(scope, params, now);
  const fingerprint = filterFingerprint([params.q ?? "", params.from?.toISOString() ?? "", params.to?.toISOString() ?? "", params.order, scope.ownActorId]);
  const conditions = [where];
  if (params.cursor) {
    const position = decodeCursor(params.cursor, scope.organization.id, fingerprint);
    const at = new Date(position.occurredAt);
    conditions.push(
      params.order === "desc"
        ? or(lt(auditEvents.occurredAt, at), and(eq(auditEvents.occurredAt, at), lt(auditEvents.id, position.id)))!
        : or(gt(auditEvents.occurredAt, at), and(eq(auditEvents.occurredAt, at), gt(auditEvents.id, position.id)))!,
    );
  }
  const direction = params.order === "desc" ? desc : asc;
  const rows = await db()
    .select(eventColumns)
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(direction(auditEvents.occurredAt), direction(auditEvents.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit) as StoredEventRow[];
  const last = page.at(-1);
  return {
    data: page.map(toAuditEvent),
    next_cursor: rows.length > params.limit && last ? encodeCursor({ occurredAt: last.occurredAt.toISOString(), id: last.id }, scope.organization.id, fingerprint) : null,
  };
}

/** The SIEM pull feed: events after a seq, in seq order. Seqs are gapless per organization. */
export async function eventsAfterSeq(scope: Scope, afterSeq: number, limit: number): Promise<SearchPage & { last_seq: number }> {
  const rows = (await db()
    .select(eventColumns)
    .from(auditEvents)
    .where(and(eventsVisibleTo(scope), gt(auditEvents.seq, afterSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit)) as StoredEventRow[];
  const lastSeq = rows.length ? Number(rows.at(-1)!.seq) : afterSeq;
  return { data: rows.map(toAuditEvent), next_cursor: null, last_seq: lastSeq };
}

export async function getEvent(scope: Scope, id: string): Promise<AuditEvent> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound("Event not found");
  const [row] = (await db()
    .select(eventColumns)
    .from(auditEvents)
    .where(and(eventsVisibleTo(scope), eq(auditEvents.id, id.toLowerCase())))
    .limit(1)) as StoredEventRow[];
  if (!row) throw notFound("Event not found");
  return toAuditEvent(row);
}
