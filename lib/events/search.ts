import "server-only";
import { and, asc, desc, eq, gt, lt, lte, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import { db, readSql } from "@/db/client";
import type { Scope } from "@/lib/access/scope";
import { AppError, notFound } from "@/lib/errors";
import { decodeCursor, encodeCursor, filterFingerprint } from "./cursor";
import { parseQuery, QueryError, queryIssues, type QueryKey } from "./query-language";
import { queryFilter } from "./query-sql";
import { eventColumns } from "./event-columns";
import { isWithinTimeBounds, TIME_BOUNDS_TEXT } from "./time-bounds";
import { storedEventRow, toAuditEvent, type RawEventRow, type StoredEventRow } from "./stored-event";
import { occurredSince, visibleEvents, type VisibleEvents } from "./store/visible-events";
import type { AuditEvent } from "./types";
import { isUuid } from "@/lib/uuid";

export type EventFilter = { q?: string; from?: Date; to?: Date };
export type SearchParams = EventFilter & { limit: number; cursor?: string; order: "asc" | "desc" };
export type SearchPage = { data: AuditEvent[]; next_cursor: string | null };

/**
 * What a read selects from, the events in the scope, and the conditions of its filter on them;
 * `alternatives`, when set, are disjoint conditions whose union is `where` (query-sql.ts, queryFilter).
 */
export type MatchingEvents = { events: VisibleEvents; where: SQL | undefined; alternatives?: SQL[] };

/**
 * The events of a filter (query language, time range) inside the scope. Bad queries are a 400 naming the term.
 * `omitKeys` drops the terms of those keys (a facet counts as if its own terms were not set).
 */
export function matchingEvents(scope: Scope, filter: EventFilter, now: Date, omitKeys: readonly QueryKey[] = []): MatchingEvents {
  const events = visibleEvents(scope);
  const conditions: (SQL | undefined)[] = [];
  let alternatives: SQL[] | undefined;
  if (filter.q) {
    try {
      const query = queryFilter(events, { terms: parseQuery(filter.q).terms.filter((t) => !omitKeys.includes(t.key)) }, now);
      conditions.push(query.where);
      alternatives = query.alternatives;
    } catch (error) {
      if (error instanceof QueryError) {
        const message = error.more.length > 0 ? `${error.message} (and ${error.more.length} more bad ${error.more.length === 1 ? "term" : "terms"})` : error.message;
        throw new AppError("invalid_query", message, queryIssues(error));
      }
      throw error;
    }
  }
  for (const [field, at] of [["from", filter.from], ["to", filter.to]] as const) {
    // The API checks these at its edge; this catches every other caller (the viewer page, stored export jobs).
    if (at && !isWithinTimeBounds(at)) throw new AppError("invalid_query", `${field} is out of range`, [{ path: field, message: `must lie ${TIME_BOUNDS_TEXT}` }]);
  }
  const range = and(filter.from ? occurredSince(events, filter.from) : undefined, filter.to ? lt(events.occurredAt, filter.to) : undefined);
  return { events, where: and(...conditions, range), alternatives: alternatives?.map((alternative) => and(alternative, range)!) };
}

/** A read's rows once awaited, and its SQL. */
export type RowsQuery<Row> = PromiseLike<Row[]> & { toSQL(): { sql: string; params: unknown[] }; getSQL(): SQL };

/**
 * The first `limit` matching events in (occurred_at, id) order, with `fields`
 * (which must include `occurredAt` and `id`); `extra` narrows further (a
 * cursor). A filter of alternatives reads each one's first `limit` in that
 * order, from its own index, and merges them.
 */
export function firstMatches<Row>(
  { events, where, alternatives }: MatchingEvents,
  fields: SelectedFields & { occurredAt: AnyColumn; id: AnyColumn },
  order: "asc" | "desc",
  limit: number,
  extra?: SQL,
): RowsQuery<Row> {
  const direction = order === "desc" ? desc : asc;
  const read = (condition: SQL | undefined) =>
    db().select(fields).from(events).$dynamic().where(and(condition, extra)).orderBy(direction(events.occurredAt), direction(events.id)).limit(limit);
  if (!alternatives) return read(where) as unknown as RowsQuery<Row>;
  const [first, ...rest] = alternatives.map(read);
  // Ordered by the reads' output columns, as a UNION's ORDER BY must be.
  return rest
    .reduce((union, next) => union.unionAll(next), first!.$dynamic())
    .orderBy(direction(sql.identifier(fields.occurredAt.name)), direction(sql.identifier(fields.id.name)))
    .limit(limit) as unknown as RowsQuery<Row>;
}

/** What a cursor is bound to: everything that shapes the result set. */
export function searchFingerprint(scope: Scope, params: SearchParams): string {
  return filterFingerprint([params.q ?? "", params.from?.toISOString() ?? "", params.to?.toISOString() ?? "", params.order, scope.ownActorId]);
}

/** The query of one page (limit + 1 rows, to know whether another page follows); the benchmark runs its SQL directly. */
export function searchQuery(scope: Scope, params: SearchParams, now = new Date()) {
  const matching = matchingEvents(scope, params, now);
  const { events } = matching;
  if (!params.cursor) return firstMatches<StoredEventRow>(matching, eventColumns(events), params.order, params.limit + 1);
  const position = decodeCursor(params.cursor, scope.organization.id, searchFingerprint(scope, params));
  // A row comparison, not (a < x or a = x and b < y): the index then starts right at the cursor, so page 1,000 costs what page 1 does.
  const at = sql`(${new Date(position.occurredAt).toISOString()}::timestamptz, ${position.id}::uuid)`;
  const beyond = params.order === "desc" ? sql`(${events.occurredAt}, ${events.id}) < ${at}` : sql`(${events.occurredAt}, ${events.id}) > ${at}`;
  return firstMatches<StoredEventRow>(matching, eventColumns(events), params.order, params.limit + 1, beyond);
}

/**
 * The rows of a read of eventColumns as postgres.js returns them, for
 * storedEventRow to map rather than drizzle, whose per-cell checks were the
 * largest part of a 200-event page's cost in Node.
 */
export async function readRawEvents(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<RawEventRow[]> {
  const { sql: text, params } = query.toSQL();
  return readSql().unsafe<RawEventRow[]>(text, params as never[]);
}

const readStoredEvents = async (query: { toSQL(): { sql: string; params: unknown[] } }): Promise<StoredEventRow[]> => (await readRawEvents(query)).map(storedEventRow);

/** One page of events, newest first by default, with a keyset cursor on (occurred_at, id). */
export async function searchEvents(scope: Scope, params: SearchParams, now = new Date()): Promise<SearchPage> {
  const rows = await readStoredEvents(searchQuery(scope, params, now));
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    data: page.map(toAuditEvent),
    next_cursor: rows.length > params.limit && last ? encodeCursor({ occurredAt: last.occurredAt.toISOString(), id: last.id }, scope.organization.id, searchFingerprint(scope, params)) : null,
  };
}

/** The SIEM pull feed: events after a seq, in seq order. Seqs are gapless per organization. */
export async function eventsAfterSeq(scope: Scope, afterSeq: number, limit: number): Promise<SearchPage & { last_seq: number }> {
  const events = visibleEvents(scope);
  const rows = await readStoredEvents(db().select(eventColumns(events)).from(events).where(gt(events.seq, afterSeq)).orderBy(asc(events.seq)).limit(limit));
  const lastSeq = rows.length ? Number(rows.at(-1)!.seq) : afterSeq;
  return { data: rows.map(toAuditEvent), next_cursor: null, last_seq: lastSeq };
}

/** A log stream's next batch: the events after `afterSeq` up to `upToSeq` that match the stream's filter, in seq order. */
export async function eventsForStream(scope: Scope, params: { afterSeq: number; upToSeq: number; q: string; limit: number }): Promise<AuditEvent[]> {
  const { events, where } = matchingEvents(scope, { q: params.q }, new Date());
  const rows = (await db()
    .select(eventColumns(events))
    .from(events)
    .where(and(where, gt(events.seq, params.afterSeq), lte(events.seq, params.upToSeq)))
    .orderBy(asc(events.seq))
    .limit(params.limit)) as StoredEventRow[];
  return rows.map(toAuditEvent);
}

/** The lowest seq of the scope's stored events that occurred at or after `at`, or null: where a stream's replay from `at` starts. */
export async function firstSeqOccurredSince(scope: Scope, at: Date): Promise<number | null> {
  const events = visibleEvents(scope);
  const [row] = await db().select({ seq: sql<string | null>`min(${events.seq})` }).from(events).where(occurredSince(events, at));
  return row?.seq == null ? null : Number(row.seq);
}

export async function getEvent(scope: Scope, id: string): Promise<AuditEvent> {
  if (!isUuid(id)) throw notFound("Event not found");
  const events = visibleEvents(scope);
  const [row] = (await db()
    .select(eventColumns(events))
    .from(events)
    .where(eq(events.id, id.toLowerCase()))
    .limit(1)) as StoredEventRow[];
  if (!row) throw notFound("Event not found");
  return toAuditEvent(row);
}

/**
 * The first page of a view for a server-rendered page: a bad query is not an
 * error page but the API's issues, for the search box to show at the term.
 */
export async function firstPage(
  scope: Scope,
  view: { q: string; from: string | null; to: string | null; order: "asc" | "desc"; limit: number },
): Promise<{ page: SearchPage | null; issues: { path: string; message: string }[] }> {
  try {
    const page = await searchEvents(scope, { q: view.q, from: view.from ? new Date(view.from) : undefined, to: view.to ? new Date(view.to) : undefined, order: view.order, limit: view.limit });
    return { page, issues: [] };
  } catch (error) {
    if (error instanceof AppError && (error.code === "invalid_query" || error.code === "invalid_request")) return { page: null, issues: error.issues ?? [{ path: "q", message: error.message }] };
    throw error;
  }
}
