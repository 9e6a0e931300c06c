CREATE TABLE "event_counts_daily" (
	"organization_id" uuid NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"event_count" bigint NOT NULL,
	CONSTRAINT "event_counts_daily_organization_id_day_action_pk" PRIMARY KEY("organization_id","day","action")
);
--> statement-breakpoint
ALTER TABLE "event_counts_daily" ADD CONSTRAINT "event_counts_daily_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill from the hourly counts (not audit_events): one pass over the rollup the daily rows sum.
INSERT INTO "event_counts_daily" ("organization_id", "day", "action", "event_count")
SELECT "organization_id", date_trunc('day', "hour", 'UTC'), "action", sum("event_count")
FROM "event_counts_hourly"
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
