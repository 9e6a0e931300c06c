import "server-only";
import type { Scope } from "@/lib/access/scope";
import type { EventFilter } from "../search";
import { recordDownloadExported, requestContext } from "./audit";
import { BOM, CONTENT_TYPES, csvHeader, csvRows, exportFileName, ndjsonRows, type ExportFormat } from "./format";
import { csvMetadataColumns, exportSelection, readPage, type ExportSelection } from "./rows";

/** The encoder of one export: the file's start, then each page of rows. */
export async function exportEncoder(organizationId: string, format: ExportFormat) {
  if (format === "ndjson") return { start: "", page: ndjsonRows };
  const columns = await csvMetadataColumns(organizationId);
  return { start: BOM + csvHeader(columns), page: (rows: Parameters<typeof ndjsonRows>[0]) => csvRows(rows, columns) };
}

function lastIncludedDay(to: Date | undefined, now: Date): Date {
  // `to` is exclusive: a range ending at midnight ends on the day before.
  return to ? new Date(to.getTime() - 1) : now;
}

/**
 * A streamed download: keyset pages are read only as the client takes the bytes
 * (pull), so memory holds one page whatever the size, and the first bytes go out
 * with the first page. When the client goes away the stream is cancelled and no
 * further page is read.
 */
export async function streamExport(scope: Scope, filter: EventFilter, format: ExportFormat, request: Request): Promise<Response> {
  const now = new Date();
  const selection: ExportSelection = await exportSelection(scope, filter, now);
  const encoder = await exportEncoder(scope.organization.id, format);
  // The first page is read before answering: it names the file (its first event is `from`) and a bad query fails as JSON, not mid-stream.
  let page = await readPage(selection, null);
  const from = filter.from ?? page.rows[0]?.occurredAt ?? lastIncludedDay(filter.to, now);
  const fileName = exportFileName(scope.organization.slug, from, lastIncludedDay(filter.to, now), format);
  const context = requestContext(request);
  const bytes = new TextEncoder();
  let rowsSent = 0;
  let started = false;
  let cancelled = false;
  request.signal.addEventListener("abort", () => {
    cancelled = true;
  });

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          rowsSent += page.rows.length;
          controller.enqueue(bytes.encode(encoder.start + encoder.page(page.rows)));
          if (page.next) return;
        } else if (page.next) {
          page = await readPage(selection, page.next);
          if (cancelled) return;
          rowsSent += page.rows.length;
          if (page.rows.length) controller.enqueue(bytes.encode(encoder.page(page.rows)));
          if (page.next) return;
        }
        // Recorded once the last row is read, in a transaction of its own: holding the
        // organization's chain head for the whole stream would stall its ingest for
        // minutes, and a download the client abandons is not an export.
        await recordDownloadExported(scope, { filter, format, rows: rowsSent, delivery: "download" }, context);
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      cancelled = true;
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
