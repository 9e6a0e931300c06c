import "server-only";
import { z } from "zod";
import type { ExportRow } from "@/db/schema";
import { requirePermission } from "@/lib/access/require-permission";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { findLiveApiKeyById } from "@/lib/auth/api-key";
import { appLink } from "@/lib/auth/one-time-link";
import { AppError, notFound } from "@/lib/errors";
import { parseBody } from "@/lib/api/body";
import { sendExportFile } from "@/lib/events/export/download";
import { linkSignature, linkSignatureMatches } from "@/lib/events/export/download-link";
import { createExport, findExport } from "@/lib/events/export/jobs";
import { isUuid } from "@/lib/uuid";
import { ACTION_PATTERN } from "@/lib/events/event-input";
import { apiTime } from "@/lib/events/search-input";

/*
 * POST /audit_logs/exports and GET /audit_logs/exports/{id}: Orgtrail's export
 * jobs (lib/events/export) in WorkOS's shapes. The export id carries its
 * organization, so a lookup never leaves the organization the key may reach.
 */

const ID_PREFIX = "audit_log_export_";
/** WorkOS's download URLs work for 10 minutes; each GET hands out a fresh one. */
const URL_TTL_MS = 10 * 60 * 1000;
/** Each value becomes one term of an Orgtrail query, which holds at most 50. */
const MAX_FILTER_VALUES = 50;

/** The longest query Orgtrail runs (lib/events/search-input.ts). */
const MAX_QUERY_LENGTH = 2000;

const filterValue = (what: string) => z.string().min(1, `${what} must not be empty`).max(256, `${what} are at most 256 characters`);
const filterList = (what: string, value = filterValue(what)) => z.array(value).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} ${what}`).optional();

export const workosExportInput = z.looseObject({
  organization_id: z.string({ error: "is required" }).min(1, "is required").max(256),
  range_start: apiTime,
  range_end: apiTime,
  actions: filterList("actions", filterValue("actions").regex(ACTION_PATTERN, "must be an action name: lowercase dot-separated words, like user.signed_in")),
  actor_names: filterList("actor names"),
  actor_ids: filterList("actor ids"),
  targets: filterList("target types"),
}).refine((input) => [input.actions, input.actor_names, input.actor_ids, input.targets].reduce((sum, list) => sum + (list?.length ?? 0), 0) <= MAX_FILTER_VALUES, {
  message: `at most ${MAX_FILTER_VALUES} filter values in all (actions, actor_names, actor_ids and targets together)`,
  path: ["actions"],
});

type WorkosExport = { object: "audit_log_export"; id: string; state: "pending" | "ready" | "expired" | "error"; url: string | null; created_at: string; updated_at: string };

const publicId = (organizationId: string, exportId: string) => `${ID_PREFIX}${organizationId.replaceAll("-", "")}${exportId.replaceAll("-", "")}`;

const dashed = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The organization and export an id names, or a 404 for anything else. */
function parseId(id: string): { organizationId: string; exportId: string } {
  const hex = id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length) : "";
  const parsed = /^[0-9a-f]{64}$/i.test(hex) ? { organizationId: dashed(hex.slice(0, 32)), exportId: dashed(hex.slice(32)) } : null;
  if (!parsed || !isUuid(parsed.organizationId) || !isUuid(parsed.exportId)) throw notFound(`Audit log export not found: ${id.slice(0, 100)}`);
  return parsed;
}

/** A quoted query-language value: `"…"` with `\` and `"` escaped. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** WorkOS's filters as a query: each list is OR within itself, and the lists are ANDed, as WorkOS applies them. */
function exportQuery(input: z.output<typeof workosExportInput>): string {
  return [
    ...(input.actions ?? []).map((action) => `action:${quoted(action)}`),
    ...(input.actor_names ?? []).map((name) => `actor:${quoted(name)}`),
    ...(input.actor_ids ?? []).map((id) => `actor.id:${quoted(id)}`),
    ...(input.targets ?? []).map((type) => `target:${quoted(type)}`),
  ].join(" ");
}

async function exportScope(key: ApiKeyPrincipal, organizationRef: string): Promise<Scope> {
  const scope = await resolveOrgScope(key, organizationRef);
  requirePermission(scope, "events.export");
  return scope;
}

const WORKOS_DOWNLOAD = "workos-export";

/**
 * WorkOS hands out a pre-signed URL that needs no credentials; so does this
 * one. It acts as the key that asked for it, only while that key is live and
 * may still export the organization, and only until it expires.
 */
function downloadUrl(scope: Scope, key: ApiKeyPrincipal, row: ExportRow, now: Date): string {
  const expires = Math.floor(Math.min(now.getTime() + URL_TTL_MS, row.expiresAt!.getTime()) / 1000);
  const params = new URLSearchParams({ key: key.keyId, expires: String(expires), signature: linkSignature(WORKOS_DOWNLOAD, [scope.organization.id, row.id, key.keyId], expires) });
  return appLink(`/audit_logs/exports/${publicId(scope.organization.id, row.id)}/download?${params}`);
}

function toWorkos(scope: Scope, key: ApiKeyPrincipal, row: ExportRow, now = new Date()): WorkosExport {
  const expired = row.state === "expired" || (row.state === "ready" && row.expiresAt !== null && row.expiresAt <= now);
  const state = expired ? "expired" : row.state === "failed" ? "error" : row.state === "ready" ? "ready" : "pending";
  return {
    object: "audit_log_export",
    id: publicId(scope.organization.id, row.id),
    state,
    url: state === "ready" ? downloadUrl(scope, key, row, now) : null,
    created_at: row.createdAt.toISOString(),
    updated_at: (row.finishedAt ?? row.createdAt).toISOString(),
  };
}

export async function createWorkosExport(key: ApiKeyPrincipal, body: unknown): Promise<WorkosExport> {
  const input = parseBody(workosExportInput, body);
  const { range_start: from, range_end: to } = input;
  if (from >= to) throw new AppError("validation_failed", "range_start must be before range_end", [{ path: "range_start", message: "must be before range_end" }]);
  const q = exportQuery(input);
  if (q.length > MAX_QUERY_LENGTH) {
    throw new AppError("validation_failed", "The filters are too long together", [{ path: "actions", message: `actions, actor_names, actor_ids and targets together make a query of ${q.length} characters; at most ${MAX_QUERY_LENGTH}` }]);
  }
  const scope = await exportScope(key, input.organization_id);
  // WorkOS's range_end is the last instant asked for; Orgtrail's `to` is exclusive.
  const { id } = await createExport(scope, { q: q || undefined, from, to: new Date(to.getTime() + 1) }, "csv");
  return toWorkos(scope, key, await findExport(scope, id));
}

export async function getWorkosExport(key: ApiKeyPrincipal, id: string): Promise<WorkosExport> {
  const { organizationId, exportId } = parseId(id);
  const scope = await exportScope(key, organizationId);
  return toWorkos(scope, key, await findExport(scope, exportId));
}

export const downloadInput = z.object({ key: z.string().max(100).optional(), expires: z.string().max(20).optional(), signature: z.string().max(100).optional() });

/** GET /audit_logs/exports/{id}/download: the file, for whoever holds an unexpired URL from GET /audit_logs/exports/{id}. */
export async function downloadWorkosExport(id: string, link: z.output<typeof downloadInput>, request: Request): Promise<Response> {
  const { organizationId, exportId } = parseId(id);
  const refused = new AppError("forbidden", "This download URL is not valid or has expired; get a new one from GET /audit_logs/exports/{id}");
  const expires = Number(link.expires);
  if (!link.key || !isUuid(link.key) || !link.signature || !Number.isInteger(expires)) throw refused;
  if (!linkSignatureMatches(WORKOS_DOWNLOAD, [organizationId, exportId, link.key.toLowerCase()], expires, link.signature) || expires * 1000 <= Date.now()) throw refused;
  const key = await findLiveApiKeyById(link.key.toLowerCase());
  if (!key) throw refused;
  const scope = await exportScope(key, organizationId);
  return sendExportFile(scope, await findExport(scope, exportId), request);
}
