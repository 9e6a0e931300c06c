import "server-only";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { exports, type ExportRow } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { describeError, errorCode } from "@/db/errors";
import { AppError, notFound } from "@/lib/errors";
import { env } from "@/lib/env";
import { enqueueJob, type JobHandler } from "@/lib/jobs/queue";
import { recordAppEvent } from "../app-events";
import { actorOf } from "@/lib/access/actor";
import { exporterScope, exportMetadata, principalRef } from "./audit";
import { signedDownloadPath } from "./download-link";
import type { ExportFormat } from "./format";
import { countAll, countUpTo, exportSelection } from "./rows";
import { exportEncoder, type ExportFilter } from "./stream";
import { isUuid } from "@/lib/uuid";

export const EXPORT_QUEUE = "export";
export const MAX_ATTEMPTS = 3;
/** How long a finished file is kept. */
const FILE_TTL_MS = 24 * 60 * 60 * 1000;

export type ExportStatus = {
  id: string;
  state: ExportRow["state"];
  format: ExportFormat;
  query: ExportRow["query"];
  rows_done: number;
  rows_total: number | null;
  file_bytes: number | null;
  created_at: string;
  finished_at: string | null;
  expires_at: string | null;
  download_url: string | null;
  error: string | null;
};

const exportDir = () => path.resolve(env().ORGTRAIL_EXPORT_DIR);
const finalPath = (row: Pick<ExportRow, "organizationId" | "id" | "format">) => path.join(exportDir(), row.organizationId, `${row.id}.${row.format}`);

function isExpired(row: ExportRow, now: Date): boolean {
  return row.state === "ready" && row.expiresAt !== null && row.expiresAt <= now;
}

export function exportStatus(scope: Scope, row: ExportRow, now = new Date()): ExportStatus {
  const expired = isExpired(row, now);
  return {
    id: row.id,
    state: expired ? "expired" : row.state,
    format: row.format,
    query: row.query,
    rows_done: row.rowsDone,
    rows_total: row.rowsTotal,
    file_bytes: row.fileBytes,
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    download_url: row.state === "ready" && !expired ? signedDownloadPath(scope.organization, row.id, row.expiresAt!, now) : null,
    error: row.error,
  };
}

const storedQuery = (filter: ExportFilter): ExportRow["query"] => ({
  q: filter.q ?? "",
  ...(filter.from ? { from: filter.from.toISOString() } : {}),
  ...(filter.to ? { to: filter.to.toISOString() } : {}),
  ...(filter.order ? { order: filter.order } : {}),
});

export const exportFilter = (query: ExportRow["query"]): ExportFilter => ({
  q: query.q || undefined,
  from: query.from ? new Date(query.from) : undefined,
  to: query.to ? new Date(query.to) : undefined,
  order: query.order,
});

/** POST /exports: checks the filter now (a bad query is a 400, not a failed job), then queues the job. */
export async function createExport(scope: Scope, filter: ExportFilter, format: ExportFormat): Promise<{ id: string; state: ExportRow["state"] }> {
  await exportSelection(scope, filter);
  const id = randomUUID();
  await db().insert(exports).values({ organizationId: scope.organization.id, id, requestedBy: principalRef(scope.principal), query: storedQuery(filter), format });
  await enqueueJob(EXPORT_QUEUE, { organizationId: scope.organization.id, exportId: id }, { dedupeKey: `export:${id}`, maxAttempts: MAX_ATTEMPTS });
  return { id, state: "pending" };
}

export async function findExport(scope: Scope, id: string): Promise<ExportRow> {
  if (!isUuid(id)) throw notFound("Export not found");
  const [row] = await db().select().from(exports).where(and(eq(exports.organizationId, scope.organization.id), eq(exports.id, id.toLowerCase())));
  if (!row) throw notFound("Export not found");
  return row;
}

export async function recentExports(scope: Scope, limit = 20): Promise<ExportStatus[]> {
  const rows = await db().select().from(exports).where(eq(exports.organizationId, scope.organization.id)).orderBy(desc(exports.createdAt)).limit(limit);
  const now = new Date();
  return rows.map((row) => exportStatus(scope, row, now));
}

/** Deletes the files of exports past their expiry and marks them expired. */
export async function expireExports(now = new Date()): Promise<void> {
  const expired = await sql()<{ organization_id: string; id: string; format: ExportFormat }[]>`
    update exports set state = 'expired', file_ref = null where state = 'ready' and expires_at <= ${now.toISOString()}
    returning organization_id, id, format`;
  for (const row of expired) await rm(finalPath({ organizationId: row.organization_id, id: row.id, format: row.format }), { force: true });
}

/** How often a running job writes its progress (rows_done) and heartbeat. */
const PROGRESS_INTERVAL_MS = 1_000;

export type ExportJobOptions = { signal?: AbortSignal; progressIntervalMs?: number; onProgress?: (rowsDone: number) => void };

/**
 * The export job. Every attempt starts from scratch: it writes the whole file
 * under a temporary name and renames it into place only when complete, then
 * marks the export ready (and records the exported event) in one transaction.
 * A worker that dies mid-way leaves only a temporary file, which the next
 * attempt deletes; nothing partial is ever marked ready.
 */
export async function runExportJob(payload: Record<string, unknown>, job: Parameters<JobHandler>[1], options: ExportJobOptions = {}): Promise<void> {
  const organizationId = String(payload.organizationId);
  const exportId = String(payload.exportId);
  const [row] = await db().select().from(exports).where(and(eq(exports.organizationId, organizationId), eq(exports.id, exportId)));
  if (!row || row.state === "ready" || row.state === "expired") return;

  const directory = path.dirname(finalPath(row));
  await mkdir(directory, { recursive: true });
  for (const name of await readdir(directory)) if (name.startsWith(`${exportId}.`) && name.endsWith(".tmp")) await rm(path.join(directory, name), { force: true });
  const temporary = path.join(directory, `${exportId}.${randomUUID().slice(0, 8)}.tmp`);

  try {
    const scope = await exporterScope(row.requestedBy, organizationId);
    const filter = exportFilter(row.query);
    const selection = await exportSelection(scope, filter, row.createdAt);
    const rowsTotal = await countAll(selection);
    await db().update(exports).set({ state: "running", rowsDone: 0, rowsTotal, error: null }).where(and(eq(exports.organizationId, organizationId), eq(exports.id, exportId)));

    const encoder = await exportEncoder(organizationId, row.format, filter);
    const file = createWriteStream(temporary);
    const write = async (data: Uint8Array) => {
      if (!file.write(data)) await once(file, "drain");
    };
    let rowsDone = 0;
    let reportedAt = 0;
    try {
      await write(encoder.start);
      for await (const chunk of encoder.chunks(selection, options.signal)) {
        await write(chunk.data);
        rowsDone += chunk.rows;
        if (Date.now() - reportedAt < (options.progressIntervalMs ?? PROGRESS_INTERVAL_MS)) continue;
        reportedAt = Date.now();
        await db().update(exports).set({ rowsDone }).where(and(eq(exports.organizationId, organizationId), eq(exports.id, exportId)));
        await job.heartbeat();
        options.onProgress?.(rowsDone);
      }
    } finally {
      file.end();
      await once(file, "close");
    }
    const target = finalPath(row);
    await rename(temporary, target);
    const { size } = await stat(target);
    const actor = actorOf(scope);
    const finishedAt = new Date();
    await sql().begin(async (tx) => {
      const marked = await tx`update exports set state = 'ready', rows_done = ${rowsDone}, rows_total = ${rowsDone}, file_ref = ${path.relative(exportDir(), target)},
          file_bytes = ${size}, finished_at = ${finishedAt.toISOString()}, expires_at = ${new Date(finishedAt.getTime() + FILE_TTL_MS).toISOString()}, error = null
        where organization_id = ${organizationId} and id = ${exportId} and state <> 'ready'
        returning id`;
      if (marked.length === 0) return;
      await recordAppEvent(tx, organizationId, {
        action: "orgtrail.audit_log.exported",
        actor,
        metadata: exportMetadata({ filter, format: row.format, rows: rowsDone, throughSeq: selection.maxSeq, delivery: "job", exportId }),
      });
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    await rm(temporary, { force: true });
    if (job.attempts >= MAX_ATTEMPTS) {
      await db().update(exports).set({ state: "failed", error: failureShown(error), finishedAt: new Date() }).where(and(eq(exports.organizationId, organizationId), eq(exports.id, exportId)));
    }
    // The queue logs and keeps what is thrown: the description, never a database error's SQL and parameters.
    throw new Error(`export ${exportId} failed: ${describeError(error)}`, { cause: error });
  }
}

/**
 * What the requester sees of a failed job: an error meant for callers, or one
 * our code raised with its own words; anything from the database or the system
 * (whose text may hold SQL, parameters or paths) becomes a generic message.
 */
function failureShown(error: unknown): string {
  const ownWords = error instanceof AppError || (error instanceof Error && error.constructor === Error && errorCode(error) === null);
  return ownWords ? (error as Error).message.slice(0, 500) : "The export failed on the server. Create it again; if it fails again, contact support.";
}

/** Above this many rows the viewer makes a job instead of a direct download. */
export const DIRECT_DOWNLOAD_MAX_ROWS = 50_000;

/** GET /exports/estimate: the row count up to the direct-download limit, and which way the viewer should go. */
export async function estimateExport(scope: Scope, filter: ExportFilter): Promise<{ rows: number; at_least: boolean; direct: boolean; direct_max_rows: number }> {
  const rows = await countUpTo(await exportSelection(scope, filter), DIRECT_DOWNLOAD_MAX_ROWS + 1);
  const over = rows > DIRECT_DOWNLOAD_MAX_ROWS;
  return { rows: over ? DIRECT_DOWNLOAD_MAX_ROWS : rows, at_least: over, direct: !over, direct_max_rows: DIRECT_DOWNLOAD_MAX_ROWS };
}
