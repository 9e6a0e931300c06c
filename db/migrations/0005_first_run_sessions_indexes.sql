CREATE TABLE "event_counts_hourly" (
	"organization_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"event_count" bigint NOT NULL,
	CONSTRAINT "event_counts_hourly_organization_id_hour_action_pk" PRIMARY KEY("organization_id","hour","action")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"method" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "user_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "audit_events_org_action_time";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "sso_domains" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "sso_default_role" text DEFAULT 'member' NOT NULL;--> statement-breakpoint
ALTER TABLE "event_counts_hourly" ADD CONSTRAINT "event_counts_hourly_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_tokens" ADD CONSTRAINT "user_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_tokens_token_hash" ON "user_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "user_tokens_user" ON "user_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_type" ON "audit_events" USING btree ("organization_id","actor_type","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_name" ON "audit_events" USING btree ("organization_id",lower("actor_name"));--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_email" ON "audit_events" USING btree ("organization_id",lower("actor_metadata" ->> 'email'));--> statement-breakpoint
CREATE INDEX "audit_events_org_ip" ON "audit_events" USING btree ("organization_id","ip");--> statement-breakpoint
CREATE INDEX "audit_events_org_target_types" ON "audit_events" USING gin ("organization_id","target_types");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_one_vendor" ON "organizations" USING btree ("kind") WHERE kind = 'vendor';--> statement-breakpoint
CREATE INDEX "audit_events_org_action_time" ON "audit_events" USING btree ("organization_id","action" text_pattern_ops,"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
-- What must always exist: the organization that holds the vendor's own log (console changes, staff sign-ins).
INSERT INTO "organizations" ("slug", "name", "kind")
SELECT CASE WHEN EXISTS (SELECT 1 FROM "organizations" WHERE "slug" = 'vendor') THEN 'orgtrail-vendor' ELSE 'vendor' END, 'Vendor', 'vendor'
WHERE NOT EXISTS (SELECT 1 FROM "organizations" WHERE "kind" = 'vendor');
--> statement-breakpoint
-- The hourly counts of the events already stored.
INSERT INTO "event_counts_hourly" ("organization_id", "hour", "action", "event_count")
SELECT "organization_id", date_trunc('hour', "occurred_at", 'UTC'), "action", count(*) FROM "audit_events" GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Samples of customer events kept whole before: the console keeps only their shape now (lib/events/append.ts).
UPDATE "action_stats" SET "sample" = NULL;
