import Papa from "papaparse";
import { toAuditEvent, type StoredEventRow } from "../stored-event";

export type ExportFormat = "csv" | "ndjson";

export const BASE_CSV_COLUMNS = [
  "id",
  "occurred_at",
  "received_at",
  "action",
  "actor_type",
  "actor_id",
  "actor_name",
  "target_types",
  "target_ids",
  "target_names",
  "ip",
  "user_agent",
  "metadata",
] as const;

/** A schema-marked metadata key and the header it gets: the key, or `metadata.<key>` where the key is a base column's name. */
export type MetadataColumn = { key: string; header: string };

export function metadataColumns(keys: Iterable<string>): MetadataColumn[] {
  const base = new Set<string>(BASE_CSV_COLUMNS);
  return [...new Set(keys)].sort().map((key) => ({ key, header: base.has(key) ? `metadata.${key}` : key }));
}

// papaparse's own `escapeFormulae: true` pattern ends in `.*$` without the s flag, so a
// cell like "=cmd\nmore" slips through; this one looks at the first character only.
const FORMULA_START = /^[=+\-@\t\r]/;

const unparseConfig = { newline: "\r\n", escapeFormulae: FORMULA_START, header: false } as const;

/** The UTF-8 byte order mark, so spreadsheets read the file as UTF-8. */
export const BOM = "\uFEFF";

export function csvHeader(columns: MetadataColumn[]): string {
  return Papa.unparse([[...BASE_CSV_COLUMNS, ...columns.map((c) => c.header)]], unparseConfig) + "\r\n";
}

const cell = (value: unknown): string => (value == null ? "" : typeof value === "string" ? value : String(value));

/** One event as CSV cells, in header order (DESIGN "CSV"). */
export function csvCells(row: StoredEventRow, columns: MetadataColumn[]): string[] {
  const event = toAuditEvent(row);
  const metadata = event.metadata;
  return [
    event.id,
    event.occurred_at,
    event.received_at,
    event.action,
    event.actor.type,
    event.actor.id,
    cell(event.actor.name),
    event.targets.map((t) => t.type).join("; "),
    event.targets.map((t) => t.id).join("; "),
    event.targets.map((t) => t.name ?? "").join("; "),
    cell(event.context.location),
    cell(event.context.user_agent),
    JSON.stringify(metadata),
    ...columns.map((c) => cell(metadata[c.key])),
  ];
}

/** A page of events as CSV rows (RFC 4180, CRLF after every row, formula cells neutralized). */
export function csvRows(rows: StoredEventRow[], columns: MetadataColumn[]): string {
  if (rows.length === 0) return "";
  return Papa.unparse(rows.map((row) => csvCells(row, columns)), unparseConfig) + "\r\n";
}

/** A page of events as NDJSON: one event, shaped as the API returns it, per line. */
export function ndjsonRows(rows: StoredEventRow[]): string {
  let out = "";
  for (const row of rows) out += JSON.stringify(toAuditEvent(row)) + "\n";
  return out;
}

export function exportFileName(orgSlug: string, from: Date, to: Date, format: ExportFormat): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const slug = orgSlug.replace(/[^A-Za-z0-9_-]/g, "_");
  return `${slug}-audit-log-${day(from)}-to-${day(to)}.${format}`;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};
