CREATE TABLE "event_chains" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"chain_seq" bigint DEFAULT 0 NOT NULL,
	"chain_hash" text DEFAULT '' NOT NULL,
	"checkpoint_seq" bigint DEFAULT 0 NOT NULL,
	"checkpoint_hash" text DEFAULT '' NOT NULL,
	"last_event_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "event_chains" ADD CONSTRAINT "event_chains_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every organization that has a chain keeps it; one that never had an event gets its row at its first append.
INSERT INTO "event_chains" ("organization_id", "chain_seq", "chain_hash", "checkpoint_seq", "checkpoint_hash", "last_event_at")
SELECT "id", "chain_seq", "chain_hash", "checkpoint_seq", "checkpoint_hash", "last_event_at" FROM "organizations"
WHERE "chain_seq" > 0 OR "checkpoint_seq" > 0;--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "chain_seq";--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "chain_hash";--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "checkpoint_seq";--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "checkpoint_hash";--> statement-breakpoint
ALTER TABLE "organizations" DROP COLUMN "last_event_at";