import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { resolveOrgScope, type Scope, type SystemPrincipal } from "@/lib/access/scope";
import { requirePermission } from "@/lib/access/require-permission";
import { AppError } from "@/lib/errors";
import type { Principal } from "@/lib/auth/principal";
import { clientIp } from "@/lib/auth/client-ip";
import type { ApiKeyScope } from "@/lib/auth/api-key-secret";
import { recordAppEvent, type AppEvent } from "../app-events";
import { actorOf } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import type { Metadata } from "../types";
import type { EventFilter } from "../search";
import type { ExportFormat } from "./format";

/** How an export remembers who asked for it: `user:<id>` or `api_key:<id>` (`system:<id>` for Orgtrail itself, which never exports). */
export function principalRef(principal: Principal | SystemPrincipal): string {
  if (principal.kind === "system") return `system:${principal.id}`;
  return principal.kind === "user" ? `user:${principal.userId}` : `api_key:${principal.keyId}`;
}

/**
 * The principal behind a stored reference, as it stands now, and its scope in
 * the organization checked for events.export: a job runs only while the person
 * or key that asked for it may still export (a removed member's job fails).
 */
export async function exporterScope(ref: string, organizationId: string): Promise<Scope> {
  const [kind, id] = ref.split(":");
  let principal: Principal | null = null;
  if (kind === "user" && id) {
    const [user] = await db().select({ id: users.id, email: users.email, name: users.name, platformRole: users.platformRole }).from(users).where(eq(users.id, id));
    if (user) principal = { kind: "user", userId: user.id, email: user.email, name: user.name, platformRole: user.platformRole ?? null };
  } else if (kind === "api_key" && id) {
    const [key] = await db().select({ id: apiKeys.id, name: apiKeys.name, organizationId: apiKeys.organizationId, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id));
    if (key && !key.revokedAt) principal = { kind: "api_key", keyId: key.id, name: key.name, organizationId: key.organizationId, scopes: key.scopes as ApiKeyScope[] };
  }
  if (!principal) throw new Error("the export's requester no longer exists or was revoked");
  const scope = await resolveOrgScope(principal, organizationId);
  requirePermission(scope, "events.export");
  return scope;
}

export type ExportRecord = { filter: EventFilter; format: ExportFormat; rows: number; throughSeq: number; delivery: "download" | "job"; exportId?: string };

/** The longest metadata string an event may hold (event-input.ts counts UTF-16 units). */
const MAX_METADATA_TEXT = 500;

/**
 * The longest start of `text` that any metadata value accepts: whole code points
 * only (a surrogate pair is never split), without NUL or lone surrogates, at
 * most MAX_METADATA_TEXT UTF-16 units.
 */
export function metadataTextPrefix(text: string): string {
  let out = "";
  for (const char of text) {
    if (char === "\u0000" || !char.isWellFormed()) continue;
    if (out.length + char.length > MAX_METADATA_TEXT) break;
    out += char;
  }
  return out;
}

/**
 * The exported event's metadata: flat strings and numbers that pass the event's
 * schema whatever the caller sent. The query is kept as a safe prefix beside the
 * SHA-256 of its UTF-8 bytes (so a long query is still identified exactly).
 */
export function exportMetadata(record: ExportRecord): Metadata {
  const q = record.filter.q ?? "";
  const prefix = metadataTextPrefix(q);
  return {
    format: record.format,
    rows: record.rows,
    through_seq: record.throughSeq,
    delivery: record.delivery,
    q: prefix,
    q_sha256: createHash("sha256").update(q, "utf8").digest("hex"),
    ...(prefix === q ? {} : { q_truncated: true }),
    from: record.filter.from?.toISOString() ?? "",
    to: record.filter.to?.toISOString() ?? "",
    ...(record.exportId ? { export_id: record.exportId } : {}),
  };
}

export function requestContext(request: Request): RequestContext {
  return { ip: clientIp(Object.fromEntries(request.headers)), userAgent: request.headers.get("user-agent") };
}

/**
 * Records the event of a read (an export, a file download) in its own short
 * transaction before the read sends its first byte; holding the organization's
 * chain head for a whole stream would stall its ingest. When the event cannot be
 * written, the read does not happen: the caller gets a 503 and no data.
 */
export async function recordRead(scope: Scope, event: Omit<AppEvent, "actor" | "ip" | "userAgent">, context: RequestContext): Promise<void> {
  try {
    await sql().begin(async (tx) => {
      await recordAppEvent(tx, scope.organization.id, { ...event, actor: actorOf(scope), ...context });
    });
  } catch (error) {
    console.error(`[export] ${event.action} could not be recorded:`, error instanceof Error ? `${error.name}: ${error.message}` : "unknown");
    throw new AppError("unavailable", "The read could not be recorded in the organization's audit log, so nothing was sent; retry shortly", undefined, 5);
  }
}

/** Records a direct download before its first byte (see recordRead). */
export function recordDownloadExported(scope: Scope, record: ExportRecord, context: RequestContext): Promise<void> {
  return recordRead(scope, { action: "orgtrail.audit_log.exported", metadata: exportMetadata(record) }, context);
}
