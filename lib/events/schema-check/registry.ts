import "server-only";
import type { ValidateFunction, ErrorObject } from "ajv";
import { asc, eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { eventSchemas, settings, type EventSchema } from "@/db/schema";
import { RESERVED_PREFIX } from "@/lib/events/event-input";
import { newSchemaCompiler, storedSchemaCompiler } from "./linear-regexp";
import { REQUIRE_SCHEMA_SETTING } from "./setting-keys";

// A fallback: a change saved in any process reaches every process's copy through CHANGED_CHANNEL at once.
const REFRESH_MS = 5_000;
const CHANGED_CHANNEL = "orgtrail_event_schemas_changed";
// Patterns run on RE2 (linear-regexp.ts), so no schema can make validating a value take exponential time.
const ajv = storedSchemaCompiler();

export type CompiledSchema = {
  row: EventSchema;
  actor?: ValidateFunction;
  target?: ValidateFunction;
  metadata?: ValidateFunction;
};

type RegistryState = {
  byAction: Map<string, CompiledSchema[]>;
  requireSchema: boolean;
  loadedAt: number;
  loading: Promise<void> | null;
  generation: number;
  listening: boolean;
};
// On globalThis: Next.js bundles route handlers and server actions apart, each with its own copy of
// this module, and a schema saved by a console action must reach the ingest route's copy at once.
const globalForRegistry = globalThis as unknown as { orgtrailSchemaRegistry?: RegistryState };
const state = (globalForRegistry.orgtrailSchemaRegistry ??= { byAction: new Map(), requireSchema: false, loadedAt: 0, loading: null, generation: 0, listening: false });
// Versions are immutable, so a version compiled once stays valid for the life of the process.
const compiledById = new Map<string, CompiledSchema>();

function compile(row: EventSchema): CompiledSchema {
  const cached = compiledById.get(row.id);
  if (cached) return cached;
  const compiled: CompiledSchema = {
    row,
    actor: row.actorSchema ? ajv.compile(row.actorSchema) : undefined,
    target: row.targetSchema ? ajv.compile(row.targetSchema) : undefined,
    metadata: row.metadataSchema ? ajv.compile(row.metadataSchema) : undefined,
  };
  compiledById.set(row.id, compiled);
  return compiled;
}

async function load(): Promise<void> {
  const generation = state.generation;
  const rows = await db().select().from(eventSchemas).orderBy(asc(eventSchemas.action), asc(eventSchemas.version));
  const [setting] = await db().select({ value: settings.value }).from(settings).where(eq(settings.key, REQUIRE_SCHEMA_SETTING));
  const next = new Map<string, CompiledSchema[]>();
  for (const row of rows) {
    const list = next.get(row.action) ?? [];
    list.push(compile(row));
    next.set(row.action, list);
  }
  state.byAction = next;
  state.requireSchema = setting?.value === true;
  // Invalidated while reading: what was read may predate the change, so read again next time.
  state.loadedAt = state.generation === generation ? Date.now() : 0;
}

function markStale(): void {
  state.generation += 1;
  state.loadedAt = 0;
}

/** Another process's saved change (ORGTRAIL_WEB_PROCESSES, several instances) drops this copy too; so does a reconnect, which may have missed one. */
function listenForChanges(): void {
  if (state.listening) return;
  state.listening = true;
  sql()
    .listen(CHANGED_CHANNEL, markStale, markStale)
    .catch(() => {
      state.listening = false;
    });
}

async function fresh(): Promise<Map<string, CompiledSchema[]>> {
  listenForChanges();
  if (Date.now() - state.loadedAt > REFRESH_MS) {
    state.loading ??= load().finally(() => {
      state.loading = null;
    });
    await state.loading;
  }
  return state.byAction;
}

/** A draft version compiled for a one-off check (the console's preview), not cached. */
export function compileDraft(row: Pick<EventSchema, "action" | "version" | "targetTypes" | "actorSchema" | "targetSchema" | "metadataSchema">): CompiledSchema {
  const draftAjv = newSchemaCompiler();
  return {
    row: { ...row, id: "draft", display: {}, createdBy: null, createdAt: new Date() },
    actor: row.actorSchema ? draftAjv.compile(row.actorSchema) : undefined,
    target: row.targetSchema ? draftAjv.compile(row.targetSchema) : undefined,
    metadata: row.metadataSchema ? draftAjv.compile(row.metadataSchema) : undefined,
  };
}

/** Drops the cached list (and setting), here and in every other process, so a saved change applies to the next event at once. Call it after the change commits. */
export function invalidateSchemaCache(): void {
  markStale();
  sql()
    .notify(CHANGED_CHANNEL, "")
    .catch((error: unknown) => console.error(`[schemas] other processes see the change within ${REFRESH_MS / 1000} s: ${error instanceof Error ? error.message : error}`));
}

export async function schemaVersions(action: string): Promise<CompiledSchema[]> {
  return (await fresh()).get(action) ?? [];
}

export async function allSchemas(): Promise<EventSchema[]> {
  return [...(await fresh()).values()].flat().map((c) => c.row);
}

export type SchemaIssue = { path: string; message: string };

function ajvIssues(prefix: string, errors: ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).map((e) => ({
    path: prefix + e.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, "."),
    message: `${e.message ?? "is invalid"} (schema ${e.schemaPath})`,
  }));
}

export type CheckedEvent = {
  action: string;
  version?: number;
  actor: { metadata?: unknown };
  targets: { type: string; metadata?: unknown }[];
  metadata?: unknown;
};

/** The issues of an event against one compiled version (paths relative to `prefix`). */
export function issuesAgainst(schema: CompiledSchema, event: CheckedEvent, prefix: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const allowed = schema.row.targetTypes;
  event.targets.forEach((target, i) => {
    if (allowed.length > 0 && !allowed.includes(target.type)) {
      issues.push({ path: `${prefix}.targets[${i}].type`, message: `${event.action} v${schema.row.version} allows target types ${allowed.join(", ")}, not "${target.type}"` });
    }
    if (schema.target && !schema.target(target.metadata ?? {})) issues.push(...ajvIssues(`${prefix}.targets[${i}].metadata`, schema.target.errors));
  });
  if (schema.actor && !schema.actor(event.actor.metadata ?? {})) issues.push(...ajvIssues(`${prefix}.actor.metadata`, schema.actor.errors));
  if (schema.metadata && !schema.metadata(event.metadata ?? {})) issues.push(...ajvIssues(`${prefix}.metadata`, schema.metadata.errors));
  return issues;
}

/**
 * Checks an event against its action's schema: the requested version, else the
 * latest. Returns the version to store and the issues found (paths relative to `prefix`).
 * An action with no schema is accepted unless the vendor turned on
 * `ingest.require_schema`; Orgtrail's own actions are never refused for that.
 */
export async function checkAgainstSchema(event: CheckedEvent, prefix: string): Promise<{ version: number; issues: SchemaIssue[] }> {
  const versions = await schemaVersions(event.action);
  if (versions.length === 0) {
    if (state.requireSchema && !event.action.startsWith(RESERVED_PREFIX)) {
      return { version: event.version ?? 1, issues: [{ path: `${prefix}.action`, message: `${event.action} has no event schema, and this Orgtrail only accepts actions with a schema (setting ${REQUIRE_SCHEMA_SETTING})` }] };
    }
    return { version: event.version ?? 1, issues: [] };
  }
  const schema = event.version === undefined ? versions.at(-1) : versions.find((v) => v.row.version === event.version);
  if (!schema) {
    const known = versions.map((v) => v.row.version).join(", ");
    return { version: event.version ?? 1, issues: [{ path: `${prefix}.version`, message: `${event.action} has no version ${event.version} (known: ${known})` }] };
  }
  return { version: schema.row.version, issues: issuesAgainst(schema, event, prefix) };
}
