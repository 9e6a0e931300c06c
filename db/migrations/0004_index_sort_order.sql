DROP INDEX "audit_events_org_time";--> statement-breakpoint
DROP INDEX "audit_events_org_action_time";--> statement-breakpoint
DROP INDEX "audit_events_org_actor_time";--> statement-breakpoint
DROP INDEX "exports_org_created";--> statement-breakpoint
CREATE INDEX "audit_events_org_time" ON "audit_events" USING btree ("organization_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_action_time" ON "audit_events" USING btree ("organization_id","action","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_org_actor_time" ON "audit_events" USING btree ("organization_id","actor_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "exports_org_created" ON "exports" USING btree ("organization_id","created_at" DESC NULLS FIRST);