import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ExportRow } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { notFound } from "@/lib/errors";
import { env } from "@/lib/env";
import { recordRead, requestContext } from "./audit";
import { verifyDownloadLink } from "./download-link";
import { CONTENT_TYPES, exportFileName } from "./format";
import { exportFilter, findExport } from "./jobs";
import { exportSelection, firstEventTime } from "./rows";

/**
 * A finished export's file, for a caller who may export the organization now and
 * holds an unexpired signed link. Each download is recorded in the organization's log.
 */
export async function downloadExport(scope: Scope, exportId: string, link: { expires?: string; signature?: string }, request: Request): Promise<Response> {
  const row = await findExport(scope, exportId);
  verifyDownloadLink(scope.organization.id, row.id, link.expires, link.signature);
  return sendExportFile(scope, row, request);
}

/** The file of an export whose link the caller has already checked: recorded as downloaded, then streamed. */
export async function sendExportFile(scope: Scope, row: ExportRow, request: Request): Promise<Response> {
  const now = new Date();
  if (row.state !== "ready" || !row.fileRef || (row.expiresAt && row.expiresAt <= now)) throw notFound("This export has no file to download (not finished, failed or expired)");
  const file = path.join(path.resolve(env().ORGTRAIL_EXPORT_DIR), row.fileRef);
  const size = await stat(file).then((s) => s.size, () => null);
  if (size === null) throw notFound("This export's file is gone");

  const filter = exportFilter(row.query);
  const from = filter.from ?? (await firstEventTime(await exportSelection(scope, filter, row.createdAt))) ?? row.createdAt;
  const to = filter.to ? new Date(filter.to.getTime() - 1) : row.createdAt;

  // Its metadata holds nothing the caller sent, so only a database failure stops it (and then the download).
  await recordRead(scope, { action: "orgtrail.audit_log.export_downloaded", metadata: { export_id: row.id, format: row.format, rows: row.rowsDone, bytes: size } }, requestContext(request));

  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": CONTENT_TYPES[row.format],
      "content-length": String(size),
      "content-disposition": `attachment; filename="${exportFileName(scope.organization.slug, from, to, row.format)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
