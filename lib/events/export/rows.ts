import "server-only";
import { and, eq, lte, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { actionStats, eventChains, eventSchemas } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { eventColumns } from "../event-columns";
import { parseQuery, type ActionTerm } from "../query-language";
import { firstMatches, matchingEvents, readRawEvents, type EventFilter } from "../search";
import { storedEventRow, type StoredEventRow } from "../stored-event";
import type { VisibleEvents } from "../store/visible-events";
import { metadataColumns, type MetadataColumn } from "./format";

export const PAGE_SIZE = 5_000;

/** The order of an export's rows by (occurred_at, id): newest first, as the viewer and the search API list them, unless asked. */
export type ExportOrder = "asc" | "desc";
export const DEFAULT_EXPORT_ORDER: ExportOrder = "desc";

/**
 * What one export reads: the filter inside the caller's scope, cut at the
 * organization's chain head when the export starts. Events appended later have
 * higher seqs, so a long export is one consistent set without holding a
 * snapshot transaction open for its whole length. `where` is a condition on
 * `events`, the scope's events (store/visible-events.ts).
 */
export type ExportSelection = { events: VisibleEvents; where: SQL; alternatives?: SQL[]; maxSeq: number };

export async function exportSelection(scope: Scope, filter: EventFilter, now = new Date()): Promise<ExportSelection> {
  const { events, where, alternatives } = matchingEvents(scope, filter, now);
  const [chain] = await db().select({ chainSeq: eventChains.chainSeq }).from(eventChains).where(eq(eventChains.organizationId, scope.organization.id));
  const maxSeq = Number(chain?.chainSeq ?? 0);
  const upToHead = lte(events.seq, maxSeq);
  return { events, where: and(where, upToHead)!, alternatives: alternatives?.map((alternative) => and(alternative, upToHead)!), maxSeq };
}

type Position = { at: string; id: string };
type Page<T> = { rows: T[]; next: Position | null };

const beyond = (events: VisibleEvents, position: Position | null, order: ExportOrder) => {
  if (!position) return undefined;
  const at = sql`(${position.at}::timestamptz, ${position.id}::uuid)`;
  return order === "desc" ? sql`(${events.occurredAt}, ${events.id}) < ${at}` : sql`(${events.occurredAt}, ${events.id}) > ${at}`;
};

/**
 * One keyset page of whole events in (occurred_at, id) order, either way. The
 * cursor is occurred_at as PostgreSQL wrote it (readRawEvents), microseconds kept.
 */
export async function readEventPage(selection: ExportSelection, position: Position | null, order: ExportOrder, limit = PAGE_SIZE): Promise<Page<StoredEventRow>> {
  const { events } = selection;
  // An actor filter's pages read each alternative from its own index in this order, as search pages do.
  const rows = await readRawEvents(firstMatches(selection, eventColumns(events), order, limit, beyond(events, position, order)));
  const last = rows.at(-1);
  return { rows: rows.map(storedEventRow), next: rows.length === limit && last ? { at: last.occurred_at, id: last.id } : null };
}

/** When the selection's oldest event occurred, or null if it is empty (names a file whose range has no `from`). */
export async function firstEventTime(selection: ExportSelection): Promise<Date | null> {
  const { rows } = await readEventPage(selection, null, "asc", 1);
  return rows[0]?.occurredAt ?? null;
}

/**
 * Reads a selection page by page, each page read while the one before is
 * encoded and written, so PostgreSQL and Node work at once. Stops when the
 * signal aborts (a gone client, a stopped job).
 */
export async function* readPages<T>(read: (position: Position | null) => Promise<Page<T>>, signal?: AbortSignal): AsyncGenerator<T[]> {
  let pending: Promise<Page<T>> | null = read(null);
  while (pending) {
    const current: Page<T> = await pending;
    signal?.throwIfAborted();
    pending = current.next ? read(current.next) : null;
    // A consumer that stops early leaves the read ahead unawaited: its failure is not an unhandled rejection.
    pending?.catch(() => undefined);
    if (current.rows.length) yield current.rows;
  }
}

/** The exact count of a selection, or `cap` when there are at least that many (a cheap bound for choosing download vs job). */
export async function countUpTo(selection: ExportSelection, cap: number): Promise<number> {
  const limited = db().select({ one: sql`1` }).from(selection.events).where(selection.where).limit(cap).as("limited");
  const [row] = await db().select({ n: sql<string>`count(*)` }).from(limited);
  return Number(row?.n ?? 0);
}

export async function countAll(selection: ExportSelection): Promise<number> {
  const [row] = await db().select({ n: sql<string>`count(*)` }).from(selection.events).where(selection.where);
  return Number(row?.n ?? 0);
}

/**
 * The metadata columns of a CSV: every key that the schema of an action seen in
 * the organization (action_stats, kept at ingest) marks as a column, in any
 * version, sorted. When the query names actions (`action:` terms, exact or
 * prefix), only those actions' columns: a file of sign-ins has no invoice
 * columns. Decided before the first row, so the header is fixed; the same for
 * every export of one query, so its files line up.
 */
export async function csvMetadataColumns(organizationId: string, q = ""): Promise<MetadataColumn[]> {
  const rows = await db()
    .select({ action: eventSchemas.action, display: eventSchemas.display })
    .from(eventSchemas)
    .innerJoin(actionStats, and(eq(actionStats.action, eventSchemas.action), eq(actionStats.organizationId, organizationId)));
  const named = namedActions(q);
  return metadataColumns(rows.filter((r) => !named || named.some((term) => matchesAction(term, r.action))).flatMap((r) => r.display.columns ?? []));
}

/** The query's `action:` terms that select (negated ones only exclude, so they name no columns); null when it has none. */
function namedActions(q: string): ActionTerm[] | null {
  if (!q) return null;
  const terms = parseQuery(q).terms.filter((t): t is ActionTerm => t.key === "action" && !t.negated);
  return terms.length ? terms : null;
}

const matchesAction = (term: ActionTerm, action: string) => (term.match === "exact" ? action === term.action : action.startsWith(term.action));
