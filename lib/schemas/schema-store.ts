import "server-only";
import canonicalize from "canonicalize";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import type { SchemaDisplay } from "@/db/schema";
import { vendorOrganizationId } from "@/lib/access/organizations";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import { AppError, notFound } from "@/lib/errors";
import { recordAppEvent } from "@/lib/events/app-events";
import type { Metadata } from "@/lib/events/types";
import type { SchemaDefinition } from "./definition";
import { invalidateSchemaCache } from "@/lib/events/schema-check/registry";

/** One stored version of an action's schema, as the console and the schema API show it. */
export type SchemaVersion = {
  action: string;
  version: number;
  target_types: string[];
  actor_schema: Record<string, unknown> | null;
  target_schema: Record<string, unknown> | null;
  metadata_schema: Record<string, unknown> | null;
  display: SchemaDisplay;
  created_at: string;
};

type VersionRow = Omit<SchemaVersion, "created_at"> & { created_at: Date };

const toVersion = (row: VersionRow): SchemaVersion => ({ ...row, created_at: row.created_at.toISOString() });

export async function versionsOf(action: string): Promise<SchemaVersion[]> {
  return (await versionsOfActions([action])).get(action) ?? [];
}

/** The versions of several actions in one read, oldest first per action. */
export async function versionsOfActions(actions: readonly string[]): Promise<Map<string, SchemaVersion[]>> {
  const rows = await sql()<VersionRow[]>`
    select action, version, target_types, actor_schema, target_schema, metadata_schema, display, created_at
    from event_schemas where action = any(${actions as string[]}) order by action, version`;
  const byAction = new Map<string, SchemaVersion[]>();
  for (const row of rows) byAction.set(row.action, [...(byAction.get(row.action) ?? []), toVersion(row)]);
  return byAction;
}

/** The fields that make two versions the same schema. */
function fingerprint(d: SchemaDefinition): string {
  return canonicalize({ t: d.targetTypes, a: d.actorSchema, g: d.targetSchema, m: d.metadataSchema, d: d.display }) ?? "";
}

const definitionOf = (v: SchemaVersion): SchemaDefinition => ({
  targetTypes: v.target_types,
  actorSchema: v.actor_schema,
  targetSchema: v.target_schema,
  metadataSchema: v.metadata_schema,
  display: v.display,
});

async function insertVersion(tx: TransactionSql, action: string, version: number, d: SchemaDefinition, createdBy: string | null): Promise<SchemaVersion> {
  const json = (value: Record<string, unknown> | null) => (value === null ? null : tx.json(value as never));
  const [row] = await tx<VersionRow[]>`
    insert into event_schemas (action, version, target_types, actor_schema, target_schema, metadata_schema, display, created_by)
    values (${action}, ${version}, ${d.targetTypes}::text[], ${json(d.actorSchema)}, ${json(d.targetSchema)}, ${json(d.metadataSchema)}, ${tx.json(d.display as never)}, ${createdBy})
    returning action, version, target_types, actor_schema, target_schema, metadata_schema, display, created_at`;
  return toVersion(row!);
}

function summary(d: SchemaDefinition): Metadata {
  return {
    target_types: d.targetTypes.join(", "),
    columns: (d.display.columns ?? []).join(", "),
    ...(d.display.severity ? { severity: d.display.severity } : {}),
  };
}

// One writer per action at a time, so version numbers never collide.
const lockAction = (tx: TransactionSql, action: string) => tx`select pg_advisory_xact_lock(hashtext(${`event_schemas:${action}`}))`;

/** Creates an action with its first version, and records it in the vendor log in the same transaction. */
export async function createAction(actor: VendorActor, action: string, definition: SchemaDefinition): Promise<SchemaVersion> {
  const created = await sql().begin(async (tx) => {
    await lockAction(tx, action);
    const [existing] = await tx`select 1 from event_schemas where action = ${action} limit 1`;
    if (existing) throw new AppError("conflict", `The action ${action} already has a schema; add a version instead`, [{ path: "action", message: "already exists" }]);
    const version = await insertVersion(tx, action, 1, definition, actor.userId);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.schema.action_created",
      actor: actor.entity,
      targets: [{ type: "event_action", id: action, ...(definition.display.label ? { name: definition.display.label } : {}) }],
      metadata: { version: 1, ...summary(definition) },
    });
    return version;
  });
  invalidateSchemaCache();
  return created;
}

/**
 * Adds a version to an action. Versions are immutable: a change is a new
 * version, and one identical to the latest is refused.
 */
export async function createVersion(actor: VendorActor, action: string, definition: SchemaDefinition): Promise<SchemaVersion> {
  const created = await sql().begin(async (tx) => {
    await lockAction(tx, action);
    const [latest] = await tx<VersionRow[]>`
      select action, version, target_types, actor_schema, target_schema, metadata_schema, display, created_at
      from event_schemas where action = ${action} order by version desc limit 1`;
    if (!latest) throw notFound(`No schema exists for the action ${action}`);
    if (fingerprint(definitionOf(toVersion(latest))) === fingerprint(definition)) {
      throw new AppError("validation_failed", `Nothing changed from version ${latest.version}; a new version must change the schema`);
    }
    const version = await insertVersion(tx, action, latest.version + 1, definition, actor.userId);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.schema.version_created",
      actor: actor.entity,
      targets: [{ type: "event_action", id: action, ...(definition.display.label ? { name: definition.display.label } : {}) }],
      metadata: { version: version.version, previous_version: latest.version, ...summary(definition) },
    });
    return version;
  });
  invalidateSchemaCache();
  return created;
}

/**
 * Makes `definition` the action's latest schema, as a deploy script or the
 * WorkOS API asks: the action with version 1 if it is new, a new version if
 * the schema changed, else the latest version as it is (so sending the same
 * schema twice is harmless).
 */
export async function ensureLatestVersion(actor: VendorActor, action: string, definition: SchemaDefinition): Promise<{ version: SchemaVersion; created: boolean }> {
  for (;;) {
    const latest = (await versionsOf(action)).at(-1);
    if (latest && fingerprint(definitionOf(latest)) === fingerprint(definition)) return { version: latest, created: false };
    try {
      return { version: latest ? await createVersion(actor, action, definition) : await createAction(actor, action, definition), created: true };
    } catch (error) {
      // Another writer got there first (the action now exists, or already has this schema): look again.
      const raced = error instanceof AppError && ((error.code === "conflict" && !latest) || (error.code === "validation_failed" && !error.issues));
      if (!raced) throw error;
    }
  }
}
