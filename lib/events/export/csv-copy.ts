import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { copyOut } from "@/db/copy-out";
import { inlineSql } from "@/db/inline-sql";
import { CopyCsvFinisher } from "./csv-copy-finisher";
import { BASE_CSV_COLUMNS, type MetadataColumn } from "./format";
import type { VisibleEvents } from "../store/visible-events";
import type { ExportOrder, ExportSelection } from "./rows";

const ISO_UTC = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);
const isoUtc = (column: VisibleEvents["occurredAt"]) => sql`to_char(${column} at time zone 'UTC', ${ISO_UTC})`;

/**
 * The address as normalizeIp writes it. host(inet) already does for all but
 * IPv6 that PostgreSQL writes with a dotted IPv4 tail: IPv4-mapped (the API
 * gives those as IPv4) and IPv4-compatible (`::a.b.c.d`, the API gives `::x:y`).
 */
const ipText = (events: VisibleEvents) => sql`case
  when family(${events.ip}) = 4 then host(${events.ip})
  when ${events.ip} << '::ffff:0:0/96'::cidr then host('0.0.0.0'::inet + (${events.ip} - '::ffff:0:0'::inet))
  when ${events.ip} << '::/96'::cidr and ${events.ip} - '::'::inet > 65535
    then '::' || to_hex((${events.ip} - '::'::inet) >> 16) || ':' || to_hex((${events.ip} - '::'::inet) & 65535)
  else host(${events.ip}) end`;

/** Target names in target order, `; `-joined, a missing name as empty; most events have one target, which needs no subquery. */
const targetNames = (events: VisibleEvents) => sql`case jsonb_array_length(${events.targets}) when 0 then '' when 1 then coalesce(${events.targets} -> 0 ->> 'name', '')
  else array_to_string(array(select coalesce(t.e ->> 'name', '') from jsonb_array_elements(${events.targets}) with ordinality as t(e, n) order by t.n), '; ') end`;

/** jsonb's text without the space after each `,` and `:` between tokens (strings are matched whole, so theirs stay). */
const compactJson = (value: SQL) => sql`regexp_replace(${value}::text, ${'("(?:[^"\\\\]|\\\\.)*")|([,:]) '}, ${"\\1\\2"}, 'g')`;

/** A schema-marked metadata value as one cell: strings as they are, numbers and booleans as JSON, objects and arrays as compact JSON. */
function metadataValue(events: VisibleEvents, key: string): SQL {
  const value = sql`(${events.metadata} -> ${key})`;
  return sql`case jsonb_typeof(${value}) when 'string' then ${events.metadata} ->> ${key} when 'null' then null
    when 'object' then ${compactJson(value)} when 'array' then ${compactJson(value)} else ${value}::text end`;
}

/**
 * A text cell as DESIGN's CSV has it: `'` before a first character that a
 * spreadsheet would run (= + - @ tab CR), and an empty text as NULL, which COPY
 * writes as nothing (an empty text it would write as `""`).
 */
const cell = (name: string) => sql.raw(`case when ascii(c.${name}) in (9, 13, 43, 45, 61, 64) then '''' || c.${name} else nullif(c.${name}, '') end`);
const plain = (name: string) => sql.raw(`c.${name}`);

/**
 * The whole CSV body of a selection as one `COPY … TO STDOUT (FORMAT csv)`:
 * PostgreSQL reads, formats and quotes every row (RFC 4180) on its own core,
 * and Node only finishes the bytes (CopyCsvFinisher). The inner query computes
 * each value once (`offset 0` keeps the planner from copying its expressions
 * into the outer cells); the rows come in the keyset order of the other reads,
 * newest or oldest first.
 */
export function csvCopyStatement(selection: ExportSelection, columns: MetadataColumn[], order: ExportOrder): string {
  const { events } = selection;
  const direction = sql.raw(order === "desc" ? "desc" : "asc");
  const metadataCells = columns.map((column, i) => sql`${metadataValue(events, column.key)} as ${sql.raw(`m${i}`)}`);
  const inner = sql`select ${events.id}::text as id, ${isoUtc(events.occurredAt)} as occurred_at, ${isoUtc(events.receivedAt)} as received_at,
    ${events.action} as action, ${events.actorType} as actor_type, ${events.actorId} as actor_id, ${events.actorName} as actor_name,
    array_to_string(${events.targetTypes}, '; ') as target_types, array_to_string(${events.targetIds}, '; ') as target_ids,
    ${targetNames(events)} as target_names,
    ${ipText(events)} as ip, ${events.userAgent} as user_agent, coalesce(${events.metadata}::text, '{}') as metadata
    ${sql.join(metadataCells.map((c) => sql`, ${c}`))}
    from ${events} where ${selection.where} order by ${events.occurredAt} ${direction}, ${events.id} ${direction} offset 0`;
  const cells = [
    plain("id"),
    plain("occurred_at"),
    plain("received_at"),
    ...["action", "actor_type", "actor_id", "actor_name", "target_types", "target_ids", "target_names"].map(cell),
    plain("ip"),
    cell("user_agent"),
    plain("metadata"),
    ...columns.map((_, i) => cell(`m${i}`)),
  ];
  return inlineSql(sql`copy (select ${sql.join(cells, sql`, `)} from (${inner}) c) to stdout (format csv)`);
}

const METADATA_FIELD = BASE_CSV_COLUMNS.indexOf("metadata");

/** The CSV rows of a selection as finished bytes, with how many rows each chunk holds. Stops when the signal aborts. */
export async function* readCsvChunks(selection: ExportSelection, columns: MetadataColumn[], order: ExportOrder, signal?: AbortSignal): AsyncGenerator<{ data: Uint8Array; rows: number }> {
  const finisher = new CopyCsvFinisher(METADATA_FIELD);
  for await (const chunk of copyOut(csvCopyStatement(selection, columns, order), signal)) {
    const { data, records } = finisher.push(chunk);
    yield { data, rows: records };
  }
  // COPY ends only after its last row; bytes that stop inside a row mean the output was cut.
  if (!finisher.atRecordEnd) throw new Error("The database's CSV output ended inside a row");
}
