import "server-only";
import type postgres from "postgres";
import type { SchemaDisplay } from "@/db/schema";

/**
 * The schema of every `orgtrail.*` event Orgtrail writes itself: recordAppEvent
 * validates against these like any ingested event, and the viewer reads their
 * labels and severities. The README ("Auto-collected events") documents the same list.
 */
export type AppEventSchema = {
  action: `orgtrail.${string}`;
  targetTypes: string[];
  metadataSchema: Record<string, unknown>;
  display: SchemaDisplay;
};

type Field = "string" | "number" | "boolean" | "integer";

/** A closed metadata schema: these keys with these types, the `required` ones always present. */
function closed(fields: Record<string, Field>, required: string[] = []): Record<string, unknown> {
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(fields).map(([key, type]) => [key, { type }])),
    required,
    additionalProperties: false,
  };
}

/** An open metadata schema for events other parts of Orgtrail add to: known keys are typed, others allowed. */
function open(fields: Record<string, Field> = {}): Record<string, unknown> {
  return { type: "object", properties: Object.fromEntries(Object.entries(fields).map(([key, type]) => [key, { type }])) };
}

const ROLE = { type: "string", enum: ["owner", "admin", "auditor", "member"] };
const STAFF_ROLE = { type: "string", enum: ["vendor_admin", "vendor_support"] };

function withRoles(schema: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const properties = { ...(schema.properties as Record<string, unknown>) };
  for (const key of keys) properties[key] = ROLE;
  return { ...schema, properties };
}

export const APP_EVENT_SCHEMAS: AppEventSchema[] = [
  // Sessions (lib/accounts/sign-in-events.ts, lib/accounts/sign-out.ts)
  { action: "orgtrail.user.signed_in", targetTypes: [], metadataSchema: open(), display: { label: "Signed in to Orgtrail", severity: "info" } },
  {
    action: "orgtrail.user.sign_in_failed",
    targetTypes: [],
    metadataSchema: open({ reason: "string" }),
    display: { label: "Failed Orgtrail sign-in", description: "A wrong password was given for this account.", severity: "medium", columns: ["reason"] },
  },
  { action: "orgtrail.user.signed_out", targetTypes: [], metadataSchema: open(), display: { label: "Signed out of Orgtrail", severity: "info" } },
  // The account page (lib/accounts/password-change.ts)
  {
    action: "orgtrail.user.password_changed",
    targetTypes: [],
    metadataSchema: closed({}),
    display: { label: "Password changed", description: "The user changed their password with their current one; all their sessions were ended.", severity: "medium" },
  },

  // One-time set-password links (lib/auth/user-tokens.ts, lib/accounts/set-password.ts)
  {
    action: "orgtrail.user.password_set",
    targetTypes: [],
    metadataSchema: { type: "object", properties: { method: { type: "string", enum: ["link"] } }, required: ["method"], additionalProperties: false },
    display: { label: "Password set", description: "The account's password was set with a one-time link; its other sessions were ended.", severity: "medium", columns: ["method"] },
  },

  // Members and invites (lib/members/members.ts, lib/members/invites.ts)
  {
    action: "orgtrail.member.invited",
    targetTypes: ["invite", "user"],
    metadataSchema: withRoles(closed({ email: "string", role: "string", external_id: "string", expires_at: "string" }, ["email", "role", "expires_at"]), ["role"]),
    display: { label: "Member invited", description: "An invite link to join the organization was created.", severity: "medium", columns: ["email", "role"] },
  },
  {
    action: "orgtrail.member.invite_revoked",
    targetTypes: ["invite"],
    metadataSchema: withRoles(closed({ email: "string", role: "string" }, ["email", "role"]), ["role"]),
    display: { label: "Invite revoked", severity: "low", columns: ["email"] },
  },
  {
    action: "orgtrail.member.joined",
    targetTypes: ["user", "invite"],
    // method: how the person joined; an invite's event carries none.
    metadataSchema: {
      type: "object",
      properties: { role: ROLE, new_account: { type: "boolean" }, method: { type: "string", enum: ["invite", "oidc", "portal_link"] } },
      required: ["role", "new_account"],
      additionalProperties: false,
    },
    display: {
      label: "Member joined",
      description:
        "An invite was accepted, or (method oidc) a person signed in through single sign-on with a verified email at one of the organization's domains, or (method portal_link) followed a portal link the vendor's app made for them.",
      severity: "medium",
      columns: ["role", "method"],
    },
  },
  {
    action: "orgtrail.member.role_changed",
    targetTypes: ["user"],
    metadataSchema: withRoles(closed({ role_from: "string", role_to: "string" }, ["role_from", "role_to"]), ["role_from", "role_to"]),
    display: { label: "Member role changed", severity: "high", columns: ["role_from", "role_to"] },
  },
  {
    action: "orgtrail.member.removed",
    targetTypes: ["user"],
    metadataSchema: withRoles(closed({ role: "string" }, ["role"]), ["role"]),
    display: { label: "Member removed", severity: "high", columns: ["role"] },
  },
  {
    action: "orgtrail.member.external_id_changed",
    targetTypes: ["user"],
    metadataSchema: closed({ external_id_from: "string", external_id_to: "string" }),
    display: { label: "Member external id changed", description: "Which of the product's user ids is this member's changed.", severity: "medium", columns: ["external_id_from", "external_id_to"] },
  },

  // API keys (lib/org-keys/org-api-keys.ts, and vendor keys in the console)
  {
    action: "orgtrail.api_key.created",
    targetTypes: ["api_key"],
    metadataSchema: open({ scopes: "string", prefix: "string" }),
    display: { label: "API key created", severity: "high", columns: ["scopes"] },
  },
  {
    action: "orgtrail.api_key.revoked",
    targetTypes: ["api_key"],
    metadataSchema: open({ prefix: "string" }),
    display: { label: "API key revoked", severity: "high" },
  },

  // Retention (lib/events/retention.ts)
  {
    action: "orgtrail.retention.changed",
    targetTypes: ["organization"],
    metadataSchema: closed({ days_from: "integer", days_to: "integer" }, ["days_from", "days_to"]),
    display: { label: "Retention changed", severity: "high", columns: ["days_from", "days_to"] },
  },
  {
    action: "orgtrail.retention.purged",
    targetTypes: ["organization"],
    // checkpoint_seq and checkpoint_hash: where the chain starts once the purge is done; /verify accepts no other checkpoint (lib/events/checkpoint.ts).
    // partition: the month dropped whole (lib/events/partition-retention.ts); batches: the row-by-row purge's transactions.
    metadataSchema: closed(
      { count: "integer", through_seq: "integer", checkpoint_seq: "integer", checkpoint_hash: "string", cutoff: "string", retention_days: "integer", batches: "integer", partition: "string" },
      ["count", "through_seq", "checkpoint_seq", "checkpoint_hash", "cutoff", "retention_days"],
    ),
    display: { label: "Old events purged", description: "The daily retention job deletes the events older than the retention period, up to the checkpoint this event names.", severity: "low", columns: ["count"] },
  },

  // Log streams (lib/streams): each change by a person, and the stream's own failure, in the organization's log
  ...(["created", "updated", "deleted", "paused", "resumed", "secret_rotated", "replayed"] as const).map((change) => ({
    action: `orgtrail.log_stream.${change}` as const,
    targetTypes: ["log_stream"],
    metadataSchema: open({ type: "string", format: "string", filter: "string", url: "string", reason: "string", from_seq: "integer", from: "string", changed: "string" }),
    display: {
      label: `Log stream ${change.replace("_", " ")}`,
      severity: change === "created" || change === "updated" || change === "deleted" || change === "secret_rotated" || change === "replayed" ? ("high" as const) : ("medium" as const),
      columns: ["type", "url"],
    },
  })),
  {
    action: "orgtrail.log_stream.failing",
    targetTypes: ["log_stream"],
    metadataSchema: open({ type: "string", url: "string", failing_since: "string", last_error: "string", cursor_seq: "integer" }),
    display: { label: "Log stream failing", description: "Deliveries to this stream have failed for 24 hours; events wait at its cursor and are sent once it recovers.", severity: "high", columns: ["last_error"] },
  },

  // Exports and support access (other parts of Orgtrail write these)
  {
    action: "orgtrail.audit_log.exported",
    targetTypes: [],
    // q is a prefix of the query that always fits a metadata value (lib/events/export/audit.ts); q_sha256 identifies the whole query.
    metadataSchema: open({ format: "string", q: "string", q_sha256: "string", q_truncated: "boolean", from: "string", to: "string", rows: "integer", through_seq: "integer", delivery: "string", export_id: "string" }),
    display: { label: "Audit log exported", severity: "medium", columns: ["format", "q"] },
  },
  {
    action: "orgtrail.audit_log.export_downloaded",
    targetTypes: [],
    metadataSchema: open({ format: "string", rows: "integer" }),
    display: { label: "Audit log export downloaded", severity: "medium", columns: ["format"] },
  },
  {
    action: "orgtrail.support.accessed",
    targetTypes: [],
    metadataSchema: open({ reason: "string", duration_minutes: "integer", expires_at: "string" }),
    display: { label: "Vendor support accessed the log", description: "A vendor support engineer opened this organization's log, read-only, until expires_at.", severity: "high", columns: ["reason", "duration_minutes"] },
  },

  // Vendor console (written to the vendor's own log)
  { action: "orgtrail.schema.action_created", targetTypes: [], metadataSchema: open(), display: { label: "Event action created", severity: "low" } },
  { action: "orgtrail.schema.version_created", targetTypes: [], metadataSchema: open({ version: "integer" }), display: { label: "Event schema version created", severity: "low", columns: ["version"] } },
  { action: "orgtrail.organization.created", targetTypes: [], metadataSchema: open(), display: { label: "Organization created", severity: "medium" } },
  { action: "orgtrail.organization.renamed", targetTypes: [], metadataSchema: open({ name_from: "string", name_to: "string" }), display: { label: "Organization renamed", severity: "low", columns: ["name_from", "name_to"] } },
  { action: "orgtrail.organization.owner_invited", targetTypes: [], metadataSchema: open({ email: "string" }), display: { label: "First owner invited", severity: "medium", columns: ["email"] } },
  // An organization's alias (lib/admin/organization-alias.ts): a key absent when there was, or is now, none.
  {
    action: "orgtrail.organization.alias_changed",
    targetTypes: ["organization"],
    metadataSchema: closed({ organization: "string", alias: "string", previous_alias: "string" }, ["organization"]),
    display: {
      label: "Organization alias changed",
      description: "The organization's WorkOS organization id (org_…), by which events and API calls may name it, was set, changed or cleared.",
      severity: "high",
      columns: ["organization", "alias", "previous_alias"],
    },
  },
  // Single sign-on domains of a customer organization (lib/admin/organization-sso.ts), in the vendor log and the organization's own
  {
    action: "orgtrail.organization.sso_changed",
    targetTypes: ["organization"],
    metadataSchema: withRoles(
      closed({ slug: "string", domains_from: "string", domains_to: "string", default_role_from: "string", default_role_to: "string" }, ["slug", "domains_from", "domains_to", "default_role_from", "default_role_to"]),
      ["default_role_from", "default_role_to"],
    ),
    display: {
      label: "Single sign-on domains changed",
      description: "People who sign in through single sign-on with a verified email at one of these comma-separated domains join the organization with the default role.",
      severity: "high",
      columns: ["domains_to", "default_role_to"],
    },
  },
  // Portal links (lib/portal), in the vendor log; the sign-in they open is orgtrail.user.signed_in (method portal_link) in the customer's log
  {
    action: "orgtrail.portal_link.created",
    targetTypes: ["organization", "user"],
    metadataSchema: {
      type: "object",
      properties: {
        link_id: { type: "string" },
        organization: { type: "string" },
        role: { type: "string", enum: ["admin", "auditor", "member"] },
        intent: { type: "string", enum: ["audit_logs", "settings", "log_streams"] },
        email: { type: "string" },
        return_url: { type: "string" },
        expires_at: { type: "string" },
      },
      required: ["link_id", "organization", "role", "intent", "email", "expires_at"],
      additionalProperties: false,
    },
    display: { label: "Portal link created", description: "A vendor key made a one-time link that signs this person in to the organization's portal with this role.", severity: "medium", columns: ["organization", "email", "role"] },
  },
  {
    action: "orgtrail.portal_link.revoked",
    targetTypes: ["organization", "user"],
    metadataSchema: closed({ organization: "string", external_user_id: "string", links: "integer", sessions: "integer" }, ["organization", "external_user_id", "links", "sessions"]),
    display: { label: "Portal links revoked", description: "A vendor key revoked a person's portal links: unopened ones no longer work and the sessions opened with them ended.", severity: "medium", columns: ["organization", "external_user_id", "sessions"] },
  },
  {
    action: "orgtrail.portal.settings_changed",
    targetTypes: [],
    metadataSchema: closed({ changed: "string", vendor_name: "string", logo_url: "string", accent_color: "string", return_origins: "string", frame_origins: "string", session_minutes: "integer" }, ["changed"]),
    display: { label: "Portal settings changed", description: "Branding, allowed return or frame origins, or the session length of portal sessions.", severity: "high", columns: ["changed"] },
  },
  { action: "orgtrail.setting.changed", targetTypes: [], metadataSchema: open({ key: "string" }), display: { label: "Setting changed", severity: "medium", columns: ["key"] } },

  // The first vendor admin (lib/admin/first-run.ts) and staff added from the command line (lib/admin/create-admin.ts)
  {
    action: "orgtrail.staff.created",
    targetTypes: ["user"],
    metadataSchema: {
      type: "object",
      properties: {
        role: { type: "string", enum: ["vendor_admin", "vendor_support"] },
        role_from: { type: "string", enum: ["vendor_admin", "vendor_support"] },
        method: { type: "string", enum: ["setup", "cli"] },
        new_account: { type: "boolean" },
        link_expires_at: { type: "string" },
      },
      required: ["role", "method", "new_account"],
      additionalProperties: false,
    },
    display: { label: "Vendor staff added", description: "An account was given a vendor staff role by the first-run page or the orgtrail CLI.", severity: "high", columns: ["role", "method"] },
  },

  // Vendor staff managed in the console (lib/admin/staff.ts), written to the vendor's own log
  {
    action: "orgtrail.staff.invited",
    targetTypes: ["user"],
    metadataSchema: {
      type: "object",
      properties: { email: { type: "string" }, role: STAFF_ROLE, existing_account: { type: "boolean" }, link_expires_at: { type: "string" } },
      required: ["email", "role", "existing_account"],
      additionalProperties: false,
    },
    display: { label: "Vendor staff invited", description: "An account was given a vendor staff role in the console.", severity: "high", columns: ["email", "role"] },
  },
  {
    action: "orgtrail.staff.invite_resent",
    targetTypes: ["user"],
    metadataSchema: { type: "object", properties: { email: { type: "string" }, link_expires_at: { type: "string" } }, required: ["email", "link_expires_at"], additionalProperties: false },
    display: { label: "Staff set-password link created", description: "A new one-time set-password link was made for a staff member who has not signed in yet.", severity: "high", columns: ["email"] },
  },
  {
    action: "orgtrail.staff.role_changed",
    targetTypes: ["user"],
    metadataSchema: { type: "object", properties: { role_from: STAFF_ROLE, role_to: STAFF_ROLE }, required: ["role_from", "role_to"], additionalProperties: false },
    display: { label: "Vendor staff role changed", severity: "high", columns: ["role_from", "role_to"] },
  },
  {
    action: "orgtrail.staff.removed",
    targetTypes: ["user"],
    metadataSchema: { type: "object", properties: { role: STAFF_ROLE }, required: ["role"], additionalProperties: false },
    display: { label: "Vendor staff removed", description: "The account lost its vendor staff role; the account itself stays.", severity: "high", columns: ["role"] },
  },
];

/**
 * Makes each app event's latest schema version match its definition: a missing
 * action gets version 1, a changed definition a new version (versions are
 * immutable). Safe to run at every start and from several instances at once.
 */
export async function ensureAppEventSchemas(sql: postgres.Sql): Promise<number> {
  let created = 0;
  for (const schema of APP_EVENT_SCHEMAS) {
    const [latest] = await sql<{ version: number; same: boolean }[]>`
      select version,
        (target_types = ${schema.targetTypes}::text[]
          and metadata_schema is not distinct from ${sql.json(schema.metadataSchema as never)}::jsonb
          and display = ${sql.json(schema.display as never)}::jsonb) as same
      from event_schemas where action = ${schema.action} order by version desc limit 1`;
    if (latest?.same) continue;
    const rows = await sql`
      insert into event_schemas (action, version, target_types, metadata_schema, display)
      values (${schema.action}, ${(latest?.version ?? 0) + 1}, ${schema.targetTypes}::text[], ${sql.json(schema.metadataSchema as never)}, ${sql.json(schema.display as never)})
      on conflict (action, version) do nothing
      returning id`;
    created += rows.length;
  }
  return created;
}
