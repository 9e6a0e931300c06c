import "server-only";
import { eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { can } from "@/lib/access/permissions";
import type { Principal } from "@/lib/auth/principal";
import { clientIp } from "@/lib/auth/sign-in";
import type { ApiKeyScope } from "@/lib/auth/api-key-secret";
import { recordAppEvent } from "../app-events";
import { actorOf, type RequestContext } from "../app-actor";
import type { Metadata } from "../types";
import type { EventFilter } from "../search";
import type { ExportFormat } from "./format";

/** How an export remembers who asked for it: `user:<id>` or `api_key:<id>`. */
export const principalRef = (principal: Principal): string => (principal.kind === "user" ? `user:${principal.userId}` : `api_key:${principal.keyId}`);

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
  // Not lib/api/handler's requirePermission: that module pulls in next-auth, which the standalone worker does without.
  if (!can(scope, "events.export")) throw new Error("the export's requester may no longer export this organization");
  return scope;
}

export type ExportRecord = { filter: EventFilter; format: ExportFormat; rows: number; delivery: "download" | "job"; exportId?: string };

/** The exported event's metadata: flat strings and numbers, the query cut to the 500-character value limit. */
export function exportMetadata(record: ExportRecord): Metadata {
  return {
    format: record.format,
    rows: record.rows,
    delivery: record.delivery,
    q: (record.filter.q ?? "").slice(0, 500),
    from: record.filter.from?.toISOString() ?? "",
    to: record.filter.to?.toISOString() ?? "",
    ...(record.exportId ? { export_id: record.exportId } : {}),
  };
}

export function requestContext(request: Request): RequestContext {
  return { ip: clientIp(Object.fromEntries(request.headers)), userAgent: request.headers.get("user-agent") };
}

/** Records a finished streamed download in its own transaction (see stream.ts for why not in the read's). */
export async function recordDownloadExported(scope: Scope, record: ExportRecord, context: RequestContext): Promise<void> {
  await sql().begin(async (tx) => {
    await recordAppEvent(tx, scope.organization.id, { action: "orgtrail.audit_log.exported", actor: actorOf(scope), metadata: exportMetadata(record), ...context });
  });
}
