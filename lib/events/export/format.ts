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
