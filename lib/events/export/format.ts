import Papa from "papaparse";
import { normalizeIp } from "../ip";
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

/** One event's CSV source as the database reads it (rows.ts): text cells, times already UTC ISO, lists already joined with `; `. */
export type CsvSourceRow = {
  id: string;
  occurred_at: string;
  received_at: string;
  action: string;
  actor_type: string;
  actor_id: string;
  actor_name: string | null;
  target_types: string;
  target_ids: string;
  target_names: string;
  ip: string | null;
  user_agent: string | null;
  /** jsonb's text, which has a space after every `:` and `,`. */
  metadata: string | null;
};

/** A schema-marked metadata value as one cell: strings as they are, other values as JSON. */
function metadataCell(value: unknown): string {
  if (value == null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * PostgreSQL's inet text is already the API's form (RFC 5952: lowercase, longest
 * zero run compressed) except for IPv6 with an embedded dotted IPv4 part.
 */
function ipCell(ip: string | null): string {
  if (ip == null) return "";
  return ip.includes(":") && ip.includes(".") ? (normalizeIp(ip) ?? ip) : ip;
}

/** One event as CSV cells, in header order (DESIGN "CSV"). */
export function csvCells(row: CsvSourceRow, columns: MetadataColumn[]): string[] {
  const metadata = (row.metadata == null ? {} : JSON.parse(row.metadata)) as Record<string, unknown>;
  const cells = [
    row.id,
    row.occurred_at,
    row.received_at,
    row.action,
    row.actor_type,
    row.actor_id,
    row.actor_name ?? "",
    row.target_types,
    row.target_ids,
    row.target_names,
    ipCell(row.ip),
    row.user_agent ?? "",
    JSON.stringify(metadata),
  ];
  for (const column of columns) cells.push(metadataCell(metadata[column.key]));
  return cells;
}

/** A page of events as CSV rows (RFC 4180, CRLF after every row, formula cells neutralized). */
export function csvRows(rows: CsvSourceRow[], columns: MetadataColumn[]): string {
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
