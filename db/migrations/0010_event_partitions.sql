-- audit_events becomes a table partitioned by month of received_at. Retention cuts each organization's chain by
-- received_at, so a month whose events have expired for every organization in it is dropped whole instead of
-- deleted row by row (lib/events/store/event-partitions.ts), and each month's indexes stay the size of a month.
-- A DEFAULT partition takes any row no month holds yet, so an insert never fails for want of a partition.
ALTER TABLE "audit_events" RENAME TO "audit_events_unpartitioned";--> statement-breakpoint
ALTER TABLE "audit_events_unpartitioned" RENAME CONSTRAINT "audit_events_organization_id_id_pk" TO "audit_events_unpartitioned_pk";--> statement-breakpoint
ALTER TABLE "audit_events_unpartitioned" DROP CONSTRAINT "audit_events_organization_id_organizations_id_fk";--> statement-breakpoint
DROP INDEX "audit_events_org_seq";--> statement-breakpoint
DROP INDEX "audit_events_org_time";--> statement-breakpoint
DROP INDEX "audit_events_org_action_time";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_time";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_type";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_name";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_email";--> statement-breakpoint
DROP INDEX "audit_events_org_ip";--> statement-breakpoint
DROP INDEX "audit_events_org_target_ids";--> statement-breakpoint
DROP INDEX "audit_events_org_target_types";--> statement-breakpoint
DROP INDEX "audit_events_org_search";--> statement-breakpoint
CREATE TABLE "audit_events" (
	"organization_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"action" text NOT NULL,
	"version" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text,
	"actor_metadata" jsonb,
	"targets" jsonb NOT NULL,
	"target_ids" text[] NOT NULL,
	"target_types" text[] NOT NULL,
	"ip" "inet",
	"user_agent" text,
	"metadata" jsonb,
	"search_text" text NOT NULL,
	"idempotency_key" text,
	"hash" text NOT NULL,
	"prev_hash" text NOT NULL,
	CONSTRAINT "audit_events_organization_id_id_received_at_pk" PRIMARY KEY("organization_id","id","received_at")
) PARTITION BY RANGE ("received_at");--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_org_seq" ON "audit_events" USING btree ("organization_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_org_time" ON "audit_events" USING btree ("organization_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_action_time" ON "audit_events" USING btree ("organization_id","action" text_pattern_ops,"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_time" ON "audit_events" USING btree ("organization_id","actor_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_type" ON "audit_events" USING btree ("organization_id","actor_type","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_name" ON "audit_events" USING btree ("organization_id",lower("actor_name"));--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_email" ON "audit_events" USING btree ("organization_id",lower("actor_metadata" ->> 'email'));--> statement-breakpoint
CREATE INDEX "audit_events_org_ip" ON "audit_events" USING btree ("organization_id","ip");--> statement-breakpoint
CREATE INDEX "audit_events_org_target_ids" ON "audit_events" USING gin ("organization_id","target_ids");--> statement-breakpoint
CREATE INDEX "audit_events_org_target_types" ON "audit_events" USING gin ("organization_id","target_types");--> statement-breakpoint
CREATE INDEX "audit_events_org_search" ON "audit_events" USING gin ("organization_id","search_text" gin_trgm_ops);--> statement-breakpoint
-- The expression columns of a partition's indexes (lower(actor_name), lower(actor_metadata->>'email')) are
-- sampled 10x wider than the default: with the default sample, a name no event has is estimated at ~1,000 rows
-- a month of 300,000, and `actor:` with no match walks the time index through all of an organization's events
-- instead of reading the three actor indexes (5.4 s against 14 ms on a 5-million-event organization, BENCHMARKS.md).
CREATE OR REPLACE FUNCTION orgtrail_event_index_statistics(partition_name text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	expression record;
BEGIN
	FOR expression IN
		SELECT i.indexrelid::regclass AS index_name, k.n + 1 AS column_number FROM pg_index i, generate_series(0, i.indnatts - 1) AS k(n)
		WHERE i.indrelid = partition_name::regclass AND i.indkey[k.n] = 0
	LOOP
		EXECUTE format('ALTER INDEX %s ALTER COLUMN %s SET STATISTICS 1000', expression.index_name, expression.column_number);
	END LOOP;
END $$;--> statement-breakpoint
-- Creates audit_events' indexes on a table about to be attached as its partition, named after the table's
-- (audit_events_org_time on audit_events_y2026m12 is audit_events_y2026m12_org_time), so plans read plainly.
CREATE OR REPLACE FUNCTION orgtrail_event_partition_indexes(partition_name text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	parent_index record;
BEGIN
	FOR parent_index IN
		SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'audit_events'::regclass AND NOT i.indisprimary
	LOOP
		EXECUTE regexp_replace(parent_index.definition, '^CREATE INDEX \S+ ON ONLY \S+',
			format('CREATE INDEX %I ON %I', partition_name || '_' || substr(parent_index.name, length('audit_events_') + 1), partition_name));
	END LOOP;
	PERFORM orgtrail_event_index_statistics(partition_name);
END $$;--> statement-breakpoint
CREATE TABLE "audit_events_default" (LIKE "audit_events" INCLUDING DEFAULTS);--> statement-breakpoint
SELECT orgtrail_event_partition_indexes('audit_events_default');--> statement-breakpoint
ALTER TABLE "audit_events" ATTACH PARTITION "audit_events_default" DEFAULT;--> statement-breakpoint
-- The month's partition that holds `at`, created if missing; returns its name (audit_events_yYYYYmMM).
-- Built beside the table and attached, which locks audit_events only against DDL, not reads or writes.
-- Rows the DEFAULT partition took for that month move into it first (or, given copy_from, that table's rows
-- of the month are copied in), before its indexes are built.
CREATE OR REPLACE FUNCTION orgtrail_event_partition("at" timestamptz, copy_from regclass DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	lower_bound timestamptz := date_trunc('month', "at", 'UTC');
	upper_bound timestamptz := (date_trunc('month', "at" AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
	partition_name text := 'audit_events_' || to_char("at" AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
BEGIN
	IF to_regclass(partition_name) IS NOT NULL THEN RETURN partition_name; END IF;
	-- Taken by every caller and by ATTACH itself; unlike an advisory lock, acquiring it also shows this
	-- transaction a partition another caller has just committed.
	LOCK TABLE audit_events IN SHARE UPDATE EXCLUSIVE MODE;
	IF to_regclass(partition_name) IS NOT NULL THEN RETURN partition_name; END IF;
	EXECUTE format('CREATE TABLE %I (LIKE audit_events INCLUDING DEFAULTS)', partition_name);
	-- Lets ATTACH skip scanning the new table for rows outside the month.
	EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (received_at >= %L AND received_at < %L)', partition_name, partition_name || '_bounds', lower_bound, upper_bound);
	IF copy_from IS NULL THEN
		EXECUTE format('WITH moved AS (DELETE FROM audit_events_default WHERE received_at >= %L AND received_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, partition_name);
	ELSE
		EXECUTE format('INSERT INTO %I SELECT * FROM %s WHERE received_at >= %L AND received_at < %L', partition_name, copy_from, lower_bound, upper_bound);
	END IF;
	PERFORM orgtrail_event_partition_indexes(partition_name);
	EXECUTE format('ALTER TABLE audit_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', partition_name, lower_bound, upper_bound);
	EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', partition_name, partition_name || '_bounds');
	RETURN partition_name;
END $$;--> statement-breakpoint
-- Every month from the oldest stored event to three ahead of now (or the newest event), each filled with its
-- events before its indexes are built: one pass over the old table per month, no index kept up row by row.
-- Months are counted in UTC whatever the session's time zone.
SELECT orgtrail_event_partition(m AT TIME ZONE 'UTC', 'audit_events_unpartitioned') FROM generate_series(
	date_trunc('month', least((SELECT min("received_at") FROM "audit_events_unpartitioned"), now()) AT TIME ZONE 'UTC'),
	greatest((SELECT max("received_at") FROM "audit_events_unpartitioned"), now()) AT TIME ZONE 'UTC' + interval '3 months',
	interval '1 month'
) AS m;--> statement-breakpoint
DROP TABLE "audit_events_unpartitioned";
