import type { AuditEvent, EventEntity, Metadata } from "@/lib/events/types";

/*
 * An Orgtrail event as an OCSF 1.3.0 API Activity (class 6003, category
 * Application Activity). The event's id is metadata.uid and its seq
 * metadata.sequence, so a receiver can dedupe and order; what has no OCSF
 * attribute (organization, schema version, hash, the event's own metadata) goes in `unmapped`.
 */

export const OCSF_VERSION = "1.3.0";
export const OCSF_API_ACTIVITY_CLASS_UID = 6003;
export const OCSF_APPLICATION_ACTIVITY_CATEGORY_UID = 6;

export type OcsfActivityId = 1 | 2 | 3 | 4 | 99;

export type OcsfUser = { uid: string; name?: string; type: string; type_id: 0 | 1 | 2 | 3 | 99; email_addr?: string };

export type OcsfApiActivity = {
  class_uid: 6003;
  class_name: "API Activity";
  category_uid: 6;
  category_name: "Application Activity";
  activity_id: OcsfActivityId;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: 1 | 2;
  status: "Success" | "Failure";
  time: number;
  message: string;
  metadata: {
    version: string;
    uid: string;
    sequence: number;
    original_time: string;
    logged_time: number;
    correlation_uid?: string;
    product: { name: string; vendor_name: string };
  };
  actor: { user: OcsfUser };
  api: { operation: string };
  src_endpoint: { ip?: string };
  http_request?: { user_agent: string };
  resources: { uid: string; type: string; name?: string; data?: Metadata }[];
  unmapped: { organization_id: string; seq: number; version: number; hash: string; metadata: Metadata; actor_metadata?: Metadata };
};

export type OcsfOptions = {
  /** metadata.product.vendor_name; "Orgtrail" unless the deployment names its vendor. */
  vendorName?: string;
  /** OCSF severity_id (1 Informational … 6 Fatal), from the event schema's severity when known. */
  severityId?: 1 | 2 | 3 | 4 | 5 | 6;
};

const ACTIVITY_BY_VERB: Record<string, Exclude<OcsfActivityId, 99>> = {};
const VERBS: [Exclude<OcsfActivityId, 99>, string[]][] = [
  [1, ["create", "created", "add", "added", "insert", "inserted", "invite", "invited", "register", "registered", "upload", "uploaded"]],
  [2, ["read", "get", "view", "viewed", "list", "listed", "access", "accessed", "download", "downloaded", "export", "exported"]],
  [3, ["update", "updated", "change", "changed", "modify", "modified", "edit", "edited", "rename", "renamed", "set", "enable", "enabled", "disable", "disabled"]],
  [4, ["delete", "deleted", "remove", "removed", "revoke", "revoked", "destroy", "destroyed", "purge", "purged"]],
];
for (const [id, verbs] of VERBS) for (const verb of verbs) ACTIVITY_BY_VERB[verb] = id;

const ACTIVITY_NAMES: Record<Exclude<OcsfActivityId, 99>, string> = { 1: "Create", 2: "Read", 3: "Update", 4: "Delete" };
const SEVERITY_NAMES = ["Unknown", "Informational", "Low", "Medium", "High", "Critical", "Fatal"];
const USER_TYPES: Record<string, OcsfUser["type_id"]> = { user: 1, admin: 2, system: 3, service: 3 };
const USER_TYPE_NAMES = { 0: "Unknown", 1: "User", 2: "Admin", 3: "System", 99: "Other" } as const;

/** The CRUD activity of an action, from its last word (`document.shared` → Other, `member.role_changed` → Update). */
export function ocsfActivity(action: string): { activity_id: OcsfActivityId; activity_name: string } {
  const verb = action.slice(action.lastIndexOf(".") + 1);
  const id = ACTIVITY_BY_VERB[verb.slice(verb.lastIndexOf("_") + 1)];
  return id ? { activity_id: id, activity_name: ACTIVITY_NAMES[id] } : { activity_id: 99, activity_name: verb };
}

export function toOcsfApiActivity(event: AuditEvent, options: OcsfOptions = {}): OcsfApiActivity {
  const { activity_id, activity_name } = ocsfActivity(event.action);
  const severityId = options.severityId ?? 1;
  // Orgtrail records actions that took place; an action named as a failure (sign_in_failed) is one.
  const failed = /(^|[._])(failed|failure|denied|rejected)$/.test(event.action);
  const correlation = event.metadata.correlation_id ?? event.metadata.request_id;
  return {
    class_uid: OCSF_API_ACTIVITY_CLASS_UID,
    class_name: "API Activity",
    category_uid: OCSF_APPLICATION_ACTIVITY_CATEGORY_UID,
    category_name: "Application Activity",
    activity_id,
    activity_name,
    type_uid: OCSF_API_ACTIVITY_CLASS_UID * 100 + activity_id,
    type_name: `API Activity: ${activity_name}`,
    severity_id: severityId,
    severity: SEVERITY_NAMES[severityId]!,
    status_id: failed ? 2 : 1,
    status: failed ? "Failure" : "Success",
    time: Date.parse(event.occurred_at),
    message: `${event.action} by ${event.actor.name ?? `${event.actor.type} ${event.actor.id}`}`,
    metadata: {
      version: OCSF_VERSION,
      uid: event.id,
      sequence: event.seq,
      original_time: event.occurred_at,
      logged_time: Date.parse(event.received_at),
      ...(typeof correlation === "string" ? { correlation_uid: correlation } : {}),
      product: { name: "Orgtrail", vendor_name: options.vendorName ?? "Orgtrail" },
    },
    actor: { user: ocsfUser(event.actor) },
    api: { operation: event.action },
    src_endpoint: event.context.location ? { ip: event.context.location } : {},
    ...(event.context.user_agent ? { http_request: { user_agent: event.context.user_agent } } : {}),
    resources: event.targets.map((target) => ({
      uid: target.id,
      type: target.type,
      ...(target.name !== undefined ? { name: target.name } : {}),
      ...(target.metadata !== undefined ? { data: target.metadata } : {}),
    })),
    unmapped: {
      organization_id: event.organization_id,
      seq: event.seq,
      version: event.version,
      hash: event.hash,
      metadata: event.metadata,
      ...(event.actor.metadata !== undefined ? { actor_metadata: event.actor.metadata } : {}),
    },
  };
}

function ocsfUser(actor: EventEntity): OcsfUser {
  const typeId = USER_TYPES[actor.type] ?? 99;
  const email = actor.metadata?.email;
  return {
    uid: actor.id,
    ...(actor.name !== undefined ? { name: actor.name } : {}),
    // OCSF's own caption for the known kinds; Orgtrail's actor type (api_key, …) for the others.
    type: typeId === 99 ? actor.type : USER_TYPE_NAMES[typeId],
    type_id: typeId,
    ...(typeof email === "string" ? { email_addr: email } : {}),
  };
}
