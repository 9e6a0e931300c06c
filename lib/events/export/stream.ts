import "server-only";
import type { Scope } from "@/lib/access/scope";
import type { EventFilter } from "../search";
import { principalRef, recordDownloadExported, requestContext } from "./audit";
import { readCsvChunks } from "./csv-copy";
import { DOWNLOAD_STALL_MS, stallWatch, takeDownloadSlot } from "./download-limits";
import { BOM, CONTENT_TYPES, csvHeader, exportFileName, ndjsonRows, type ExportFormat } from "./format";
import { countAll, csvMetadataColumns, DEFAULT_EXPORT_ORDER, exportSelection, firstEventTime, readEventPage, readPages, type ExportOrder, type ExportSelection } from "./rows";

/** What an export reads (the search filter) and in which order it writes the rows. */
export type ExportFilter = EventFilter & { order?: ExportOrder };

/** A piece of an export's file and how many rows it holds. */
export type ExportChunk = { data: Uint8Array; rows: number };
export type ExportEncoder = { start: Uint8Array; chunks: (selection: ExportSelection, signal?: AbortSignal) => AsyncGenerator<ExportChunk> };

async function* ndjsonChunks(selection: ExportSelection, order: ExportOrder, signal?: AbortSignal): AsyncGenerator<ExportChunk> {
  for await (const rows of readPages((at) => readEventPage(selection, at, order), signal)) yield { data: Buffer.from(ndjsonRows(rows)), rows: rows.length };
}

/**
 * The encoder of one export: the file's start, then the selection's rows in
 * chunks, in the filter's order. CSV is written by PostgreSQL's COPY
 * (csv-copy.ts), with the metadata columns of the actions the query names.
 */
export async function exportEncoder(organizationId: string, format: ExportFormat, filter: ExportFilter): Promise<ExportEncoder> {
  const order = filter.order ?? DEFAULT_EXPORT_ORDER;
  if (format === "ndjson") return { start: new Uint8Array(), chunks: (selection, signal) => ndjsonChunks(selection, order, signal) };
  const columns = await csvMetadataColumns(organizationId, filter.q);
  return {
    start: Buffer.from(BOM + csvHeader(columns)),
    chunks: (selection, signal) => readCsvChunks(selection, columns, order, signal),
  };
}

function lastIncludedDay(to: Date | undefined, now: Date): Date {
  // `to` is exclusive: a range ending at midnight ends on the day before.
  return to ? new Date(to.getTime() - 1) : now;
}

/**
 * A streamed download: rows are read only as the client takes the bytes
 * (pull), so memory holds a few chunks whatever the size. When the client goes
 * away, or takes nothing for `stallMs`, the stream ends and so does the
 * database's work. Slots are bounded per caller, per organization and per
 * process (download-limits.ts; 429 beyond).
 *
 * The exported event is written before the first byte: a read the log does
 * not hold never starts, and one that starts is recorded even if the client
 * stops part way (it may already hold rows). It counts the rows selected.
 */
export async function streamExport(scope: Scope, filter: ExportFilter, format: ExportFormat, request: Request, stallMs = DOWNLOAD_STALL_MS): Promise<Response> {
  const now = new Date();
  const selection = await exportSelection(scope, filter, now);
  const encoder = await exportEncoder(scope.organization.id, format, filter);
  // Read before answering: it names the file, and a failing query is an error JSON rather than a cut-off download.
  const from = filter.from ?? (await firstEventTime(selection)) ?? lastIncludedDay(filter.to, now);
  const fileName = exportFileName(scope.organization.slug, from, lastIncludedDay(filter.to, now), format);
  const release = takeDownloadSlot(scope.organization.id, principalRef(scope.principal));
  try {
    const rows = await countAll(selection);
    await recordDownloadExported(scope, { filter, format, rows, throughSeq: selection.maxSeq, delivery: "download" }, requestContext(request));
  } catch (error) {
    release();
    throw error;
  }
  const stall = stallWatch(stallMs);
  const stopped = AbortSignal.any([request.signal, stall.signal]);
  const chunks = encoder.chunks(selection, stopped);
  let ended = false;
  const finish = () => {
    ended = true;
    stall.disarm();
    release();
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (encoder.start.length) controller.enqueue(encoder.start);
      // A gone or stalled client may never read again, so nothing but this ends the download.
      stopped.addEventListener("abort", () => {
        if (ended) return;
        finish();
        controller.error(stopped.reason);
        void chunks.return(undefined).catch(() => undefined);
      });
    },
    async pull(controller) {
      stall.disarm();
      try {
        const next = await chunks.next();
        if (!next.done) {
          controller.enqueue(next.value.data);
          stall.arm();
          return;
        }
        finish();
        controller.close();
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    async cancel() {
      finish();
      await chunks.return(undefined);
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
