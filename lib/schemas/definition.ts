import "server-only";
import { z } from "zod";
import type { SchemaDisplay } from "@/db/schema";
import { AppError, formatPath, type ErrorIssue, zodIssues } from "@/lib/errors";
import { isStorableJson, isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { ACTION_PATTERN, RESERVED_PREFIX } from "@/lib/events/event-input";
import { METADATA_KEY } from "./form-fields";
import { newSchemaCompiler, patternProblems } from "@/lib/events/schema-check/linear-regexp";

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
const MAX_SCHEMA_BYTES = 64 * 1024;
const MAX_COLUMNS = 10;

export const actionName = z
  .string({ error: "is required" })
  .max(256, "must be at most 256 characters")
  .regex(ACTION_PATTERN, "must be lowercase dot-separated words, like project.archived")
  .refine((a) => !a.startsWith(RESERVED_PREFIX), `the ${RESERVED_PREFIX} prefix is reserved for Orgtrail's own events`);

const jsonSchemaField = z
  .record(z.string(), z.unknown(), { error: "must be a JSON Schema object, or null for no schema" })
  .nullable()
  .default(null)
  .refine((s) => s === null || JSON.stringify(s).length <= MAX_SCHEMA_BYTES, `must be at most ${MAX_SCHEMA_BYTES} bytes`)
  .refine((s) => s === null || isStorableJson(s), STORABLE_TEXT_MESSAGE);

/** One version of an action's schema as the console and the API send it. */
export const schemaVersionInput = z.strictObject({
  target_types: z
    .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, "target types are 1 to 256 characters of letters, digits, _ . : and -"))
    .max(50, "at most 50 target types")
    .refine((types) => new Set(types).size === types.length, "lists a target type twice")
    .default([]),
  actor_schema: jsonSchemaField,
  target_schema: jsonSchemaField,
  metadata_schema: jsonSchemaField,
  display: z
    .strictObject({
      label: z.string().trim().max(120, "must be at most 120 characters").refine(isStorableText, STORABLE_TEXT_MESSAGE).optional(),
      description: z.string().trim().max(1000, "must be at most 1000 characters").refine(isStorableText, STORABLE_TEXT_MESSAGE).optional(),
      severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(", ")}` }).optional(),
      columns: z
        .array(z.string().regex(METADATA_KEY, "columns are metadata keys: 1 to 40 characters of A-Z, a-z, 0-9, _ and -"))
        .max(MAX_COLUMNS, `at most ${MAX_COLUMNS} columns`)
        .refine((cols) => new Set(cols).size === cols.length, "lists a column twice")
        .optional(),
    })
    .default({}),
});
export type SchemaVersionInput = z.infer<typeof schemaVersionInput>;

export const createActionInput = schemaVersionInput.extend({ action: actionName });
export type CreateActionInput = z.infer<typeof createActionInput>;

/** A version ready to store: JSON Schemas compiled once to prove they are valid. */
export type SchemaDefinition = {
  targetTypes: string[];
  actorSchema: Record<string, unknown> | null;
  targetSchema: Record<string, unknown> | null;
  metadataSchema: Record<string, unknown> | null;
  display: SchemaDisplay;
};

/** Why a JSON Schema cannot be used, or null when it compiles. */
export function jsonSchemaProblem(schema: Record<string, unknown>): string | null {
  // Versions share one compiler in the registry, where a repeated $id would collide.
  if ("$id" in schema) return "$id is not supported: each version's schema stands alone";
  const ajv = newSchemaCompiler();
  if (!ajv.validateSchema(schema)) {
    const first = ajv.errors?.[0];
    const where = first?.instancePath ? ` at ${first.instancePath}` : "";
    return `is not a valid JSON Schema: ${first?.message ?? "invalid"}${where}`;
  }
  try {
    ajv.compile(schema);
    return null;
  } catch (error) {
    return `is not a valid JSON Schema: ${(error as Error).message}`;
  }
}

function clean(display: SchemaVersionInput["display"]): SchemaDisplay {
  return {
    ...(display.label ? { label: display.label } : {}),
    ...(display.description ? { description: display.description } : {}),
    ...(display.severity ? { severity: display.severity } : {}),
    ...(display.columns?.length ? { columns: display.columns } : {}),
  };
}

/** Parses and checks a version: shape, compilable JSON Schemas, columns declared by the metadata schema. 422 with every issue. */
export function parseSchemaVersion(input: unknown, pathPrefix: PropertyKey[] = []): SchemaDefinition {
  const parsed = schemaVersionInput.safeParse(input);
  if (!parsed.success) throw invalid(zodIssues(parsed.error, pathPrefix));
  return checkDefinition(parsed.data, pathPrefix);
}

export function checkDefinition(data: SchemaVersionInput, pathPrefix: PropertyKey[] = []): SchemaDefinition {
  const issues: ErrorIssue[] = [];
  for (const field of ["actor_schema", "target_schema", "metadata_schema"] as const) {
    const schema = data[field];
    if (!schema) continue;
    const patterns = patternProblems(schema, [...pathPrefix, field]);
    const problem = patterns.length > 0 ? null : jsonSchemaProblem(schema);
    issues.push(...patterns, ...(problem ? [{ path: formatPath([...pathPrefix, field]), message: problem }] : []));
  }
  const declared = data.metadata_schema?.properties;
  if (declared && typeof declared === "object") {
    for (const [i, column] of (data.display.columns ?? []).entries()) {
      if (!(column in declared)) issues.push({ path: formatPath([...pathPrefix, "display", "columns", i]), message: `"${column}" is not a key of the metadata schema` });
    }
  }
  if (issues.length > 0) throw invalid(issues);
  return { targetTypes: data.target_types, actorSchema: data.actor_schema, targetSchema: data.target_schema, metadataSchema: data.metadata_schema, display: clean(data.display) };
}

const invalid = (issues: ErrorIssue[]) => new AppError("validation_failed", "The schema is not valid", issues);
