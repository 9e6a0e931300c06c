-- With occurred_at and id after the name (email), actor:X reads each of its alternatives newest first from its own
-- index and merges them (lib/events/query-sql.ts, queryFilter), instead of sorting every match.
-- Built before the old indexes are dropped, so reads go on while they build (the drop's exclusive lock comes last);
-- writes wait for the builds: 48 s on 10 million events here.
CREATE INDEX "audit_events_org_actor_name_time" ON "audit_events" USING btree ("organization_id",lower("actor_name"),"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_email_time" ON "audit_events" USING btree ("organization_id",lower("actor_metadata" ->> 'email'),"occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
-- Each month's new index named as orgtrail_event_partition_indexes names them (audit_events_y2026m12_org_actor_name_time).
DO $$
DECLARE
	child record;
BEGIN
	FOR child IN
		SELECT i.inhrelid::regclass AS index_name, t.relname AS table_name, p.relname AS parent_name
		FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class p ON p.oid = i.inhparent
		WHERE p.relname IN ('audit_events_org_actor_name_time', 'audit_events_org_actor_email_time')
	LOOP
		EXECUTE format('ALTER INDEX %s RENAME TO %I', child.index_name, child.table_name || '_' || substr(child.parent_name, length('audit_events_') + 1));
	END LOOP;
END $$;--> statement-breakpoint
-- Their expression columns sampled as migration 0010 samples them. The app analyzes the months after start, outside
-- this transaction (db/index-statistics.ts): until then the planner guesses how many events a name matches.
SELECT orgtrail_event_index_statistics(inhrelid::regclass::text) FROM pg_inherits WHERE inhparent = 'audit_events'::regclass;--> statement-breakpoint
DROP INDEX "audit_events_org_actor_name";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_email";
