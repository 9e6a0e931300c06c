import "server-only";
import { z } from "zod";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import type { Principal } from "@/lib/auth/principal";
import { actionSummaries } from "./action-catalog";
import { actionName, checkDefinition, createActionInput, parseSchemaVersion } from "./definition";
import { createAction, createVersion, versionsOf, type SchemaVersion } from "./schema-store";

/** The service behind /api/v1/schemas: the same checks and events as the console, for vendors' deploy scripts. */

function parseAction(action: string): string {
  const parsed = actionName.safeParse(action);
  if (!parsed.success) throw notFound(`No schema exists for the action ${action}`);
  return parsed.data;
}

export async function listSchemas(principal: Principal) {
  requireVendorPermission(principal, "schemas.manage");
  const summaries = await actionSummaries();
  return {
    data: summaries.map((s) => ({
      action: s.action,
      versions: s.versions,
      latest_version: s.versions.at(-1) ?? null,
      display: s.display,
      event_count: s.eventCount,
      last_seen_at: s.lastSeenAt,
      built_in: s.builtIn,
    })),
  };
}

export async function createSchemaAction(principal: Principal, body: unknown): Promise<{ data: SchemaVersion }> {
  const actor = requireVendorPermission(principal, "schemas.manage");
  const parsed = createActionInput.safeParse(body);
  if (!parsed.success) throw new AppError("validation_failed", "The schema is not valid", zodIssues(parsed.error));
  const { action, ...version } = parsed.data;
  return { data: await createAction(actor, action, checkDefinition(version)) };
}

export async function listVersions(principal: Principal, action: string): Promise<{ data: SchemaVersion[] }> {
  requireVendorPermission(principal, "schemas.manage");
  const versions = await versionsOf(parseAction(action));
  if (versions.length === 0) throw notFound(`No schema exists for the action ${action}`);
  return { data: versions };
}

export async function getVersion(principal: Principal, action: string, version: string): Promise<{ data: SchemaVersion }> {
  const { data } = await listVersions(principal, action);
  const wanted = z.coerce.number().int().positive().safeParse(version);
  const found = wanted.success ? data.find((v) => v.version === wanted.data) : undefined;
  if (!found) throw notFound(`${action} has no version ${version}`);
  return { data: found };
}

export async function createSchemaVersion(principal: Principal, action: string, body: unknown): Promise<{ data: SchemaVersion }> {
  const actor = requireVendorPermission(principal, "schemas.manage");
  return { data: await createVersion(actor, parseAction(action), parseSchemaVersion(body)) };
}
