CREATE TABLE "event_target_counts_hourly" (
	"organization_id" uuid NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"event_count" bigint NOT NULL,
	CONSTRAINT "event_target_counts_hourly_pk" PRIMARY KEY("organization_id","target_type","target_id","hour","action")
);
--> statement-breakpoint
ALTER TABLE "event_target_counts_hourly" ADD CONSTRAINT "event_target_counts_hourly_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;;--> statement-breakpoint
-- Backfill from the events already stored (one pass; ingest and the purges keep it from here). An event naming
-- one target twice counts once, as lib/events/target-counts.ts counts it.
INSERT INTO "event_target_counts_hourly" ("organization_id", "target_type", "target_id", "hour", "action", "event_count")
SELECT e."organization_id", t."type", t."id", date_trunc('hour', e."occurred_at", 'UTC'), e."action", count(*)
FROM "audit_events" e
CROSS JOIN LATERAL (SELECT DISTINCT u."type", u."id" FROM unnest(e."target_types", e."target_ids") AS u("type", "id")) t
GROUP BY 1, 2, 3, 4, 5;