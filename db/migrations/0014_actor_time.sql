DROP INDEX "audit_events_org_actor_name";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_email";--> statement-breakpoint
-- With occurred_at and id after the name (email), actor:X reads each of its alternatives newest first from its own
-- index and merges them (lib/events/query-sql.ts, queryAlternatives), instead of every match sorted.
-- ON ONLY, then each month's index built under its own name (as orgtrail_event_partition_indexes names them) and
-- attached, with its expression column sampled as migration 0010 samples them.
CREATE INDEX "audit_events_org_actor_name" ON ONLY "audit_events" USING btree ("organization_id",lower("actor_name"),"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_email" ON ONLY "audit_events" USING btree ("organization_id",lower("actor_metadata" ->> 'email'),"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
DO $$
DECLARE
	partition_name text;
	parent_index record;
	child_name text;
BEGIN
	FOR partition_name IN SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit_events'::regclass LOOP
		FOR parent_index IN
			SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = 'audit_events'::regclass AND c.relname IN ('audit_events_org_actor_name', 'audit_events_org_actor_email')
		LOOP
			child_name := partition_name || '_' || substr(parent_index.name, length('audit_events_') + 1);
			EXECUTE regexp_replace(parent_index.definition, '^CREATE INDEX \S+ ON ONLY \S+', format('CREATE INDEX %I ON %I', child_name, partition_name));
			EXECUTE format('ALTER INDEX %I ATTACH PARTITION %I', parent_index.name, child_name);
		END LOOP;
		PERFORM orgtrail_event_index_statistics(partition_name);
	END LOOP;
END $$;--> statement-breakpoint
ANALYZE "audit_events";
