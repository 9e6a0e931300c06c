CREATE TABLE "log_stream_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "log_stream_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organization_id" uuid NOT NULL,
	"stream_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"status" integer,
	"latency_ms" integer NOT NULL,
	"event_count" integer NOT NULL,
	"first_seq" bigint,
	"last_seq" bigint,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "log_streams" (
	"organization_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"format" text NOT NULL,
	"filter" text DEFAULT '' NOT NULL,
	"config" jsonb NOT NULL,
	"secrets_encrypted" text NOT NULL,
	"secret_rotated_at" timestamp with time zone,
	"replay_count" integer DEFAULT 0 NOT NULL,
	"cursor_seq" bigint DEFAULT 0 NOT NULL,
	"paused_at" timestamp with time zone,
	"paused_reason" text,
	"failing_since" timestamp with time zone,
	"failing_reported_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_delivered_at" timestamp with time zone,
	"last_error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "log_streams_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
ALTER TABLE "log_stream_deliveries" ADD CONSTRAINT "log_stream_deliveries_organization_id_stream_id_log_streams_organization_id_id_fk" FOREIGN KEY ("organization_id","stream_id") REFERENCES "public"."log_streams"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_streams" ADD CONSTRAINT "log_streams_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "log_stream_deliveries_stream" ON "log_stream_deliveries" USING btree ("organization_id","stream_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "log_streams_org_created" ON "log_streams" USING btree ("organization_id","created_at");