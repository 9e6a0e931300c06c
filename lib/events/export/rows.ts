import "server-only";
import { and, asc, eq, lte, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { actionStats, auditEvents, eventSchemas, organizations } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { eventColumns } from "../event-columns";
import { filterConditions, type EventFilter } from "../search";
import type { StoredEventRow } from "../stored-event";
import { metadataColumns, type MetadataColumn } from "./format";

export const PAGE_SIZE = 5_000;

/**
 * What one export reads: the filter inside the caller's scope, cut at the
 * organization's chain head when the export starts. Events appended later have
 * higher seqs, so a long export is one consistent set without holding a
 * snapshot transaction open for its whole length.
 */
export type ExportSelection = { where: SQL; maxSeq: number };

export async function exportSelection(scope: Scope, filter: EventFilter, now = new Date()): Promise<ExportSelection> {
  const where = filterConditions(scope, filter, now);
  const [org] = await db().select({ chainSeq: organizations.chainSeq }).from(organizations).where(eq(organizations.id, scope.organization.id));
  const maxSeq = Number(org?.chainSeq ?? 0);
  return { where: and(where, lte(auditEvents.seq, maxSeq))!, maxSeq };
}

type Position = { at: string; id: string };

const pageColumns = { ...eventColumns, cursorAt: sql<string>`${auditEvents.occurredAt}::text` };

/** One keyset page, oldest first by (occurred_at, id). The cursor keeps PostgreSQL's microseconds. */
export async function readPage(selection: ExportSelection, after: Position | null, limit = PAGE_SIZE): Promise<{ rows: StoredEventRow[]; next: Position | null }> {
  const keyset = after ? sql`(${auditEvents.occurredAt}, ${auditEvents.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined;
  const rows = await db()
    .select(pageColumns)
    .from(auditEvents)
    .where(and(selection.where, keyset))
    .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id))
    .limit(limit);
  const last = rows.at(-1);
  return { rows: rows as StoredEventRow[], next: rows.length === limit && last ? { at: last.cursorAt, id: last.id } : null };
}

/** Reads a selection page by page; stops when the signal aborts (a gone client, a stopped job). */
export async function* readPages(selection: ExportSelection, options: { signal?: AbortSignal; pageSize?: number } = {}): AsyncGenerator<StoredEventRow[]> {
  let after: Position | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await readPage(selection, after, options.pageSize);
    if (page.rows.length) yield page.rows;
    if (!page.next) return;
    after = page.next;
  }
}

/** The exact count of a selection, or `cap` when there are at least that many (a cheap bound for choosing download vs job). */
export async function countUpTo(selection: ExportSelection, cap: number): Promise<number> {
  const limited = db().select({ one: sql`1` }).from(auditEvents).where(selection.where).limit(cap).as("limited");
  const [row] = await db().select({ n: sql<string>`count(*)` }).from(limited);
  return Number(row?.n ?? 0);
}

export async function countAll(selection: ExportSelection): Promise<number> {
  const [row] = await db().select({ n: sql<string>`count(*)` }).from(auditEvents).where(selection.where);
  return Number(row?.n ?? 0);
}

/**
 * The metadata columns of an organization's CSV: every key that the schema of an
 * action seen in that organization (action_stats, kept at ingest) marks as a
 * column, in any version, sorted. Decided before the first row, so the header
 * is fixed, and the same for every export of the organization whatever the
 * filter, so files of one organization line up.
 */
export async function csvMetadataColumns(organizationId: string): Promise<MetadataColumn[]> {
  const rows = await db()
    .select({ display: eventSchemas.display })
    .from(eventSchemas)
    .innerJoin(actionStats, and(eq(actionStats.action, eventSchemas.action), eq(actionStats.organizationId, organizationId)));
  return metadataColumns(rows.flatMap((r) => r.display.columns ?? []));
}
