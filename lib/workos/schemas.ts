import "server-only";
import { z } from "zod";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { parseBody } from "@/lib/api/body";
import { actionSummaries } from "@/lib/schemas/action-catalog";
import { actionName, checkDefinition } from "@/lib/schemas/definition";
import { METADATA_KEY } from "@/lib/schemas/form-fields";
import { ensureLatestVersion, versionsOf, versionsOfActions, type SchemaVersion } from "@/lib/schemas/schema-store";
import { pageOf, type ListOptions } from "./list";
import type { WorkosList } from "./route";

/*
 * WorkOS's audit log schemas and actions over Orgtrail's event schemas. A
 * WorkOS schema declares each metadata key's type; that is already a JSON
 * Schema (`{type: "object", properties: {key: {type}}}`), stored as the
 * version's actor, target and metadata schemas. Orgtrail keeps one target
 * metadata schema per version, so per-type target schemas are kept as `anyOf`
 * branches titled with their type, and a target's metadata must match one of them.
 */

const metadataSchema = z.strictObject({
  type: z.literal("object", { error: 'must be "object"' }),
  properties: z
    .record(
      z.string().regex(METADATA_KEY, "metadata keys are 1 to 40 characters of A-Z, a-z, 0-9, _ and -"),
      z.strictObject({ type: z.enum(["string", "number", "boolean"], { error: 'must be "string", "number" or "boolean"' }) }),
    )
    .refine((properties) => Object.keys(properties).length <= 50, "at most 50 metadata keys")
    .default({}),
});
type MetadataSchema = z.output<typeof metadataSchema>;

export const workosSchemaInput = z.looseObject({
  actor: z.looseObject({ metadata: metadataSchema.optional() }).optional(),
  targets: z
    .array(z.strictObject({ type: z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, "target types are 1 to 256 characters of letters, digits, _ . : and -"), metadata: metadataSchema.optional() }), { error: "is required" })
    .min(1, "name at least one target type")
    .max(50, "at most 50 target types"),
  metadata: metadataSchema.optional(),
});

type WorkosSchema = {
  object: "audit_log_schema";
  version: number;
  actor: { metadata: MetadataSchema };
  targets: { type: string; metadata?: MetadataSchema }[];
  metadata?: MetadataSchema;
  created_at: string;
};

type WorkosAction = { object: "audit_log_action"; name: string; schema: WorkosSchema; created_at: string; updated_at: string };

const nonEmpty = (schema: MetadataSchema | undefined): MetadataSchema | null => (schema && Object.keys(schema.properties).length > 0 ? schema : null);

function targetSchema(targets: z.output<typeof workosSchemaInput>["targets"]): Record<string, unknown> | null {
  const branches = targets.flatMap((target) => {
    const schema = nonEmpty(target.metadata);
    return schema ? [{ title: target.type, ...schema }] : [];
  });
  if (branches.length === 0) return null;
  return branches.length === 1 ? branches[0]! : { anyOf: branches };
}

/** The metadata keys and types a stored JSON Schema declares, as WorkOS lists them. */
function asWorkosMetadata(schema: Record<string, unknown> | null | undefined): MetadataSchema {
  const properties: MetadataSchema["properties"] = {};
  const declared = schema?.properties;
  if (declared && typeof declared === "object") {
    for (const [key, value] of Object.entries(declared as Record<string, { type?: unknown }>)) {
      const type = value?.type;
      if (type === "string" || type === "number" || type === "boolean") properties[key] = { type };
      else if (type === "integer") properties[key] = { type: "number" };
    }
  }
  return { type: "object", properties };
}

function targetMetadataByType(schema: Record<string, unknown> | null): Map<string, MetadataSchema> {
  const branches = Array.isArray(schema?.anyOf) ? (schema.anyOf as Record<string, unknown>[]) : schema ? [schema] : [];
  return new Map(branches.filter((b) => typeof b.title === "string").map((b) => [b.title as string, asWorkosMetadata(b)]));
}

function toWorkosSchema(version: SchemaVersion): WorkosSchema {
  const byType = targetMetadataByType(version.target_schema);
  return {
    object: "audit_log_schema",
    version: version.version,
    actor: { metadata: asWorkosMetadata(version.actor_schema) },
    targets: version.target_types.map((type) => (byType.has(type) ? { type, metadata: byType.get(type)! } : { type })),
    ...(version.metadata_schema ? { metadata: asWorkosMetadata(version.metadata_schema) } : {}),
    created_at: version.created_at,
  };
}

function parseActionName(action: string): string {
  const parsed = actionName.safeParse(action);
  if (!parsed.success) throw notFound(`No audit log action named ${action.slice(0, 256)}`);
  return parsed.data;
}

/** POST /audit_logs/actions/{action}/schemas: the action's new latest schema (the same schema sent again changes nothing). */
export async function createWorkosSchema(key: ApiKeyPrincipal, action: string, body: unknown): Promise<{ status: 200 | 201; schema: WorkosSchema }> {
  const actor = requireVendorPermission(key, "schemas.manage");
  const valid = actionName.safeParse(action);
  if (!valid.success) throw new AppError("validation_failed", "The action name is not valid", zodIssues(valid.error, ["action"]));
  const input = parseBody(workosSchemaInput, body);
  const metadata = nonEmpty(input.metadata);
  // A WorkOS schema has no display settings: those set in the console stay (columns while their key is declared), so a resent schema is the same schema.
  const display = (await versionsOf(valid.data)).at(-1)?.display ?? {};
  const definition = checkDefinition({
    target_types: input.targets.map((t) => t.type),
    actor_schema: nonEmpty(input.actor?.metadata),
    target_schema: targetSchema(input.targets),
    metadata_schema: metadata,
    display: { ...display, columns: (display.columns ?? []).filter((column) => metadata !== null && column in metadata.properties) },
  });
  const { version, created } = await ensureLatestVersion(actor, valid.data, definition);
  return { status: created ? 201 : 200, schema: toWorkosSchema(version) };
}

/** GET /audit_logs/actions/{action}/schemas: the action's versions, as a WorkOS list. */
export async function listWorkosSchemas(key: ApiKeyPrincipal, action: string, options: ListOptions): Promise<WorkosList<WorkosSchema>> {
  requireVendorPermission(key, "schemas.manage");
  const versions = await versionsOf(parseActionName(action));
  if (versions.length === 0) throw notFound(`No audit log action named ${action.slice(0, 256)}`);
  return pageOf(versions.map(toWorkosSchema), (schema) => String(schema.version), options);
}

/** GET /audit_logs/actions: the vendor's actions (not Orgtrail's own) with their latest schemas. */
export async function listWorkosActions(key: ApiKeyPrincipal, options: ListOptions): Promise<WorkosList<WorkosAction>> {
  requireVendorPermission(key, "schemas.manage");
  const actions = (await actionSummaries()).filter((summary) => !summary.builtIn);
  const page = pageOf(actions, (summary) => summary.action, options);
  const versions = await versionsOfActions(page.data.map((summary) => summary.action));
  const data = page.data.map((summary): WorkosAction => {
    const all = versions.get(summary.action)!;
    return { object: "audit_log_action", name: summary.action, schema: toWorkosSchema(all.at(-1)!), created_at: all[0]!.created_at, updated_at: all.at(-1)!.created_at };
  });
  return { ...page, data };
}
