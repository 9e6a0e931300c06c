import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ApiKeyScope } from "@/lib/auth/api-key-secret";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const ORG_ROLES = ["owner", "admin", "auditor", "member"] as const;
export type OrgRole = (typeof ORG_ROLES)[number];
export const PLATFORM_ROLES = ["vendor_admin", "vendor_support"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export const EXPORT_STATES = ["pending", "running", "ready", "failed", "expired"] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    // "vendor" marks the one organization that holds the vendor's own log.
    kind: text("kind").$type<"customer" | "vendor">().notNull().default("customer"),
    retentionDays: integer("retention_days").notNull().default(365),
    // Just-in-time membership for single sign-on: people whose verified email is at one of these domains join with ssoDefaultRole.
    ssoDomains: text("sso_domains").array().notNull().default(sql`'{}'::text[]`),
    ssoDefaultRole: text("sso_default_role").$type<OrgRole>().notNull().default("member"),
    // The id this organization had in another audit-log service (WorkOS's `org_…`), so a vendor moving over keeps sending it.
    alias: text("alias").unique(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("organizations_one_vendor").on(t.kind).where(sql`kind = 'vendor'`)],
);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  // Null for an account that has not set a password yet (a one-time link) or signs in only through single sign-on.
  passwordHash: text("password_hash"),
  platformRole: text("platform_role").$type<PlatformRole>(),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<OrgRole>().notNull(),
    externalId: text("external_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    uniqueIndex("memberships_org_external_id").on(t.organizationId, t.externalId),
    index("memberships_user").on(t.userId),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().$type<ApiKeyScope[]>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_secret_hash").on(t.secretHash), index("api_keys_org").on(t.organizationId)],
);

/**
 * A signed-in browser session. The session cookie carries only its id; every
 * request checks it here, so sign-out and password changes end it at once.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    method: text("method").$type<"password" | "oidc" | "link" | "portal_link">().notNull(),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    revokedAt: tz("revoked_at"),
    // Set for a portal session (lib/portal): it reaches this one organization only, never another nor the console.
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    // The portal link it was opened with (its return URL); no foreign key, so a link's removal never lifts the confinement above.
    portalLinkId: uuid("portal_link_id"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const PORTAL_ROLES = ["admin", "auditor", "member"] as const;
export type PortalRole = (typeof PORTAL_ROLES)[number];
export const PORTAL_INTENTS = ["audit_logs", "settings", "log_streams"] as const;
export type PortalIntent = (typeof PORTAL_INTENTS)[number];

/**
 * A one-time link a vendor's backend makes for one of its users to open the
 * customer organization's portal (lib/portal). Only the token's SHA-256 is kept.
 */
export const portalLinks = pgTable(
  "portal_links",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    role: text("role").$type<PortalRole>().notNull(),
    intent: text("intent").$type<PortalIntent>().notNull(),
    userExternalId: text("user_external_id").notNull(),
    userEmail: text("user_email").notNull(),
    userName: text("user_name").notNull(),
    returnUrl: text("return_url"),
    createdByKey: uuid("created_by_key").references(() => apiKeys.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    usedAt: tz("used_at"),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), uniqueIndex("portal_links_token_hash").on(t.tokenHash)],
);

export const USER_TOKEN_PURPOSES = ["set_password"] as const;
export type UserTokenPurpose = (typeof USER_TOKEN_PURPOSES)[number];

/** One-time links sent to a person (set a password); only the token's hash is kept. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<UserTokenPurpose>().notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    usedAt: tz("used_at"),
  },
  (t) => [uniqueIndex("user_tokens_token_hash").on(t.tokenHash), index("user_tokens_user").on(t.userId)],
);

export type SchemaDisplay = {
  label?: string;
  description?: string;
  severity?: "info" | "low" | "medium" | "high" | "critical";
  columns?: string[];
};

export const eventSchemas = pgTable(
  "event_schemas",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    action: text("action").notNull(),
    version: integer("version").notNull(),
    targetTypes: text("target_types").array().notNull().default(sql`'{}'::text[]`),
    actorSchema: jsonb("actor_schema").$type<Record<string, unknown>>(),
    targetSchema: jsonb("target_schema").$type<Record<string, unknown>>(),
    metadataSchema: jsonb("metadata_schema").$type<Record<string, unknown>>(),
    display: jsonb("display").$type<SchemaDisplay>().notNull().default({}),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("event_schemas_action_version").on(t.action, t.version)],
);

export type EventActor = { type: string; id: string; name?: string; metadata?: Record<string, unknown> };
export type EventTarget = EventActor;

/**
 * An organization's hash chain: its head (last seq and hash), where it starts
 * after a retention purge (the last purged event's seq and hash) and when its
 * last event occurred. A row of its own, keyed by organization_id, so the
 * append that moves it writes only the organization's own shard under Citus
 * (organizations is a reference table, on every node). Made by the first
 * append; an organization without one has no events.
 */
export const eventChains = pgTable("event_chains", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  chainSeq: bigint("chain_seq", { mode: "number" }).notNull().default(0),
  chainHash: text("chain_hash").notNull().default(""),
  checkpointSeq: bigint("checkpoint_seq", { mode: "number" }).notNull().default(0),
  checkpointHash: text("checkpoint_hash").notNull().default(""),
  lastEventAt: tz("last_event_at"),
});

export const auditEvents = pgTable(
  "audit_events",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    action: text("action").notNull(),
    version: integer("version").notNull(),
    occurredAt: tz("occurred_at").notNull(),
    receivedAt: tz("received_at").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name"),
    actorMetadata: jsonb("actor_metadata").$type<Record<string, unknown>>(),
    targets: jsonb("targets").$type<EventTarget[]>().notNull(),
    // Denormalized from targets so member scoping and target filters use an index.
    targetIds: text("target_ids").array().notNull(),
    targetTypes: text("target_types").array().notNull(),
    ip: inet("ip"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    // Lowercased action, actor, targets and metadata values: the free-text search column.
    searchText: text("search_text").notNull(),
    idempotencyKey: text("idempotency_key"),
    hash: text("hash").notNull(),
    prevHash: text("prev_hash").notNull(),
  },
  (t) => [
    // Partitioned by received_at (migration 0010, lib/events/store/event-partitions.ts), so every unique key holds it.
    // Ids are server-made UUIDv7s and seqs are numbered under the chain-head lock: both are unique without a global index.
    primaryKey({ columns: [t.organizationId, t.id, t.receivedAt] }),
    // Ingest refuses an occurred_at more than 5 minutes past receipt (MAX_FUTURE_MS); this holds every row to twice that
    // (STORED_FUTURE_MS: a clock stepped back between the check and the insert still inserts), so occurred_at >= X implies
    // received_at >= X - 10 minutes, which lets a time-bounded read skip older months (occurredSince).
    // Plain column names: a CHECK may not qualify them with the table's name.
    check("audit_events_occurred_by_receipt", sql`occurred_at <= received_at + interval '10 minutes'`),
    index("audit_events_org_seq").on(t.organizationId, t.seq),
    index("audit_events_org_time").on(t.organizationId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // text_pattern_ops: the same index serves action:x (=) and action:x.* (LIKE 'x.%') in any collation.
    index("audit_events_org_action_time").on(t.organizationId, t.action.op("text_pattern_ops"), t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("audit_events_org_actor_time").on(t.organizationId, t.actorId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // actor:X also matches the actor's name or email, case-insensitively, each read newest first from its own index
    // (queryFilter); ip: matches an address or a subnet (btree serves <<=).
    index("audit_events_org_actor_type").on(t.organizationId, t.actorType, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("audit_events_org_actor_name_time").on(t.organizationId, sql`lower(${t.actorName})`, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("audit_events_org_actor_email_time").on(t.organizationId, sql`lower(${t.actorMetadata} ->> 'email')`, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("audit_events_org_ip").on(t.organizationId, t.ip),
    index("audit_events_org_target_ids").using("gin", t.organizationId, t.targetIds),
    index("audit_events_org_target_types").using("gin", t.organizationId, t.targetTypes),
    index("audit_events_org_search").using("gin", t.organizationId, t.searchText.op("gin_trgm_ops")),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    response: jsonb("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] }), index("idempotency_keys_created").on(t.organizationId, t.createdAt)],
);

export const exports = pgTable(
  "exports",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    requestedBy: text("requested_by").notNull(),
    query: jsonb("query").$type<{ q: string; from?: string; to?: string; order?: "asc" | "desc" }>().notNull(),
    format: text("format").$type<"csv" | "ndjson">().notNull(),
    state: text("state").$type<ExportState>().notNull().default("pending"),
    rowsDone: bigint("rows_done", { mode: "number" }).notNull().default(0),
    rowsTotal: bigint("rows_total", { mode: "number" }),
    fileRef: text("file_ref"),
    fileBytes: bigint("file_bytes", { mode: "number" }),
    expiresAt: tz("expires_at"),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: tz("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), index("exports_org_created").on(t.organizationId, t.createdAt.desc().nullsFirst())],
);

/**
 * Counts per organization and action, kept up to date at ingest inside the same
 * transaction, so the console's per-action figures never scan customers' events.
 */
export const actionStats = pgTable(
  "action_stats",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull().default(0),
    lastSeenAt: tz("last_seen_at"),
    sample: jsonb("sample").$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.action] })],
);

/**
 * Events per organization, hour (of occurred_at) and action, kept in the
 * ingest transaction and by the retention purge: the histogram and totals of an
 * unfiltered or action-filtered view read these instead of counting events.
 */
export const eventCountsHourly = pgTable(
  "event_counts_hourly",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    hour: tz("hour").notNull(),
    action: text("action").notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.hour, t.action] })],
);

// The same counts per UTC day (lib/events/hourly-counts.ts keeps both in the ingest and purge transactions): long ranges read days, not hours.
export const eventCountsDaily = pgTable(
  "event_counts_daily",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: tz("day").notNull(),
    action: text("action").notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day, t.action] })],
);

/**
 * Events per organization, target (type and id), UTC hour of occurred_at and
 * action, kept with the rollups above (lib/events/target-counts.ts): the counts
 * of a `target:type:id` view read these instead of every event naming the
 * target. An event naming one target twice counts once.
 */
export const eventTargetCountsHourly = pgTable(
  "event_target_counts_hourly",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    hour: tz("hour").notNull(),
    action: text("action").notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ name: "event_target_counts_hourly_pk", columns: [t.organizationId, t.targetType, t.targetId, t.hour, t.action] })],
);

export const invites = pgTable(
  "invites",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    email: text("email").notNull(),
    role: text("role").$type<OrgRole>().notNull(),
    externalId: text("external_id"),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    acceptedAt: tz("accepted_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), uniqueIndex("invites_token_hash").on(t.tokenHash)],
);

/** A vendor support engineer's read-only access to one organization's log, with the reason they gave. */
export const supportGrants = pgTable(
  "support_grants",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), index("support_grants_user").on(t.organizationId, t.userId, t.expiresAt)],
);

/** The background job queue: workers claim rows with FOR UPDATE SKIP LOCKED and hold a lease while they run. */
export const jobs = pgTable(
  "jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    queue: text("queue").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    // Unique while set: a job that must exist at most once (a day's purge, one export).
    dedupeKey: text("dedupe_key"),
    runAt: tz("run_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    lockedBy: text("locked_by"),
    lockedUntil: tz("locked_until"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    finishedAt: tz("finished_at"),
  },
  (t) => [uniqueIndex("jobs_dedupe_key").on(t.dedupeKey), index("jobs_ready").on(t.queue, t.runAt).where(sql`finished_at is null`)],
);

export const LOG_STREAM_TYPES = ["webhook", "splunk_hec", "datadog"] as const;
export type LogStreamType = (typeof LOG_STREAM_TYPES)[number];
export const LOG_STREAM_FORMATS = ["orgtrail", "ocsf"] as const;
export type LogStreamFormat = (typeof LOG_STREAM_FORMATS)[number];

/**
 * A destination an organization pushes its own events to (lib/streams). The
 * cursor is the last `seq` delivered: delivery resumes after it, so nothing is
 * skipped. Secrets are encrypted at rest (lib/streams/secret-box.ts).
 */
export const logStreams = pgTable(
  "log_streams",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    type: text("type").$type<LogStreamType>().notNull(),
    format: text("format").$type<LogStreamFormat>().notNull(),
    filter: text("filter").notNull().default(""),
    // The destination's public settings (url, site, service...); never its secrets.
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    secretsEncrypted: text("secrets_encrypted").notNull(),
    // A webhook secret's rotation: the previous secret also signs until 24 hours after this.
    secretRotatedAt: tz("secret_rotated_at"),
    // Raised by each replay, so a replayed batch gets a new webhook-id and receivers do not drop it as a duplicate.
    replayCount: integer("replay_count").notNull().default(0),
    cursorSeq: bigint("cursor_seq", { mode: "number" }).notNull().default(0),
    pausedAt: tz("paused_at"),
    pausedReason: text("paused_reason"),
    // The start of the current run of failed attempts; null while deliveries succeed.
    failingSince: tz("failing_since"),
    failingReportedAt: tz("failing_reported_at"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    lastDeliveredAt: tz("last_delivered_at"),
    lastError: text("last_error"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), index("log_streams_org_created").on(t.organizationId, t.createdAt)],
);

/** The delivery log of a stream: one row per attempt (batches and test events), pruned to the latest. */
export const logStreamDeliveries = pgTable(
  "log_stream_deliveries",
  {
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id").notNull(),
    streamId: uuid("stream_id").notNull(),
    kind: text("kind").$type<"batch" | "test">().notNull(),
    attemptedAt: tz("attempted_at").notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    status: integer("status"),
    latencyMs: integer("latency_ms").notNull(),
    eventCount: integer("event_count").notNull(),
    firstSeq: bigint("first_seq", { mode: "number" }),
    lastSeq: bigint("last_seq", { mode: "number" }),
    error: text("error"),
  },
  (t) => [
    // Led by organization_id like every key of tenant data, so the table can be distributed with it (README "Scaling out").
    primaryKey({ columns: [t.organizationId, t.id] }),
    foreignKey({ columns: [t.organizationId, t.streamId], foreignColumns: [logStreams.organizationId, logStreams.id] }).onDelete("cascade"),
    index("log_stream_deliveries_stream").on(t.organizationId, t.streamId, t.id.desc()),
  ],
);

/**
 * A named view of the viewer (query, time range, columns) that a person keeps
 * for themself or shares with everyone who reads the organization's log.
 */
export const savedSearches = pgTable(
  "saved_searches",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    ownerUserId: uuid("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    query: text("query").notNull().default(""),
    // A range preset id (7d, 30d, all...) or "custom" with from/to.
    range: text("range").notNull(),
    rangeFrom: tz("range_from"),
    rangeTo: tz("range_to"),
    // The visible columns in order; null keeps each viewer's own layout.
    columns: jsonb("columns").$type<string[] | null>(),
    shared: boolean("shared").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    // One name per person and organization, whatever its case (lib/saved-searches also checks it, to answer with a 409).
    uniqueIndex("saved_searches_owner_name").on(t.organizationId, t.ownerUserId, sql`lower(${t.name})`),
  ],
);

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const organizationsRelations = relations(organizations, ({ many }) => ({
  memberships: many(memberships),
  apiKeys: many(apiKeys),
}));

export const usersRelations = relations(users, ({ many }) => ({ memberships: many(memberships) }));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  organization: one(organizations, { fields: [memberships.organizationId], references: [organizations.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  organization: one(organizations, { fields: [apiKeys.organizationId], references: [organizations.id] }),
}));

export type Organization = typeof organizations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type EventSchema = typeof eventSchemas.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type ExportRow = typeof exports.$inferSelect;
export type Invite = typeof invites.$inferSelect;
export type SupportGrant = typeof supportGrants.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type UserToken = typeof userTokens.$inferSelect;
export type PortalLink = typeof portalLinks.$inferSelect;
export type LogStream = typeof logStreams.$inferSelect;
export type LogStreamDelivery = typeof logStreamDeliveries.$inferSelect;
