import "server-only";
import type { Scope } from "@/lib/access/scope";
import type { EventFilter } from "../search";
import { recordDownloadExported, requestContext } from "./audit";
import { BOM, CONTENT_TYPES, csvHeader, csvRows, exportFileName, ndjsonRows, type ExportFormat } from "./format";
import { csvMetadataColumns, exportSelection, firstEventTime, readCsvPage, readEventPage, readPages, type ExportSelection } from "./rows";

export type EncodedPage = { text: string; rows: number };
export type ExportEncoder = { start: string; pages: (selection: ExportSelection, options: { signal?: AbortSignal; pageSize?: number }) => AsyncGenerator<EncodedPage> };

async function* encodePages<T>(pages: AsyncGenerator<T[]>, encode: (rows: T[]) => string): AsyncGenerator<EncodedPage> {
  for await (const rows of pages) yield { text: encode(rows), rows: rows.length };
}

/** The encoder of one export: the file's start, then each page of the selection as text. */
export async function exportEncoder(organizationId: string, format: ExportFormat): Promise<ExportEncoder> {
  if (format === "ndjson") {
    return {
      start: "",
      pages: (selection, { signal, pageSize }) => encodePages(readPages((at) => readEventPage(selection, at, pageSize), signal), ndjsonRows),
    };
  }
  const columns = await csvMetadataColumns(organizationId);
  return {
    start: BOM + csvHeader(columns),
    pages: (selection, { signal, pageSize }) => encodePages(readPages((at) => readCsvPage(selection, at, pageSize), signal), (rows) => csvRows(rows, columns)),
  };
}

function lastIncludedDay(to: Date | undefined, now: Date): Date {
  // `to` is exclusive: a range ending at midnight ends on the day before.
  return to ? new Date(to.getTime() - 1) : now;
}

/**
 * A streamed download: pages are read only as the client takes the bytes
 * (pull, one page read ahead), so memory holds two pages whatever the size.
 * When the client goes away the stream is cancelled and no further page is read.
 */
export async function streamExport(scope: Scope, filter: EventFilter, format: ExportFormat, request: Request): Promise<Response> {
  const now = new Date();
  const selection = await exportSelection(scope, filter, now);
  const encoder = await exportEncoder(scope.organization.id, format);
  // Read before answering: it names the file, and a failing query is an error JSON rather than a cut-off download.
  const from = filter.from ?? (await firstEventTime(selection)) ?? lastIncludedDay(filter.to, now);
  const fileName = exportFileName(scope.organization.slug, from, lastIncludedDay(filter.to, now), format);
  const context = requestContext(request);
  const pages = encoder.pages(selection, { signal: request.signal });
  const bytes = new TextEncoder();
  let rowsSent = 0;
  let started = false;

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const start = started ? "" : encoder.start;
        started = true;
        const next = await pages.next();
        if (!next.done) {
          rowsSent += next.value.rows;
          controller.enqueue(bytes.encode(start + next.value.text));
          return;
        }
        if (start) controller.enqueue(bytes.encode(start));
        // Recorded once the last row is read, in a transaction of its own: holding the
        // organization's chain head for the whole stream would stall its ingest for
        // minutes, and a download the client abandons is not an export.
        await recordDownloadExported(scope, { filter, format, rows: rowsSent, delivery: "download" }, context);
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });

  return new Response(body, {
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
