ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_occurred_by_receipt" CHECK (occurred_at <= received_at + interval '10 minutes');--> statement-breakpoint
-- A new month takes the table's CHECK constraints with its columns: ATTACH requires every one of them.
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
	EXECUTE format('CREATE TABLE %I (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
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
END $$;
