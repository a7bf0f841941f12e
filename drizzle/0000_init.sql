CREATE TYPE "public"."category" AS ENUM('hardware', 'software', 'network', 'account', 'printing', 'av', 'other');--> statement-breakpoint
CREATE TYPE "public"."impact" AS ENUM('whole_school', 'department', 'room', 'person');--> statement-breakpoint
CREATE TYPE "public"."incident_status" AS ENUM('new', 'triaged', 'assigned', 'in_progress', 'escalated', 'on_hold', 'resolved', 'reopened', 'closed');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'dead');--> statement-breakpoint
CREATE TYPE "public"."priority" AS ENUM('P1', 'P2', 'P3', 'P4');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('teacher', 'technician', 'office', 'admin');--> statement-breakpoint
CREATE TYPE "public"."urgency" AS ENUM('lesson_stopped', 'today', 'this_week', 'no_deadline');--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"from_status" "incident_status",
	"to_status" "incident_status",
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"reporter_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"location_id" uuid,
	"category" "category",
	"impact" "impact" NOT NULL,
	"urgency" "urgency" NOT NULL,
	"priority" "priority" NOT NULL,
	"status" "incident_status" DEFAULT 'new' NOT NULL,
	"assignee_id" uuid,
	"resolution" text,
	"submission_key" text,
	"card_channel" text,
	"card_ts" text,
	"created_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"preset" boolean DEFAULT false NOT NULL,
	"parent_id" uuid,
	"default_impact" "impact",
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"order_key" text NOT NULL,
	"message" jsonb NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"slack_user_id" text,
	"teams_user_id" text,
	"display_name" text NOT NULL,
	"role" "role" DEFAULT 'teacher' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slack_team_id" text,
	"teams_tenant_id" text,
	"slack_channel_id" text,
	"timezone" text DEFAULT 'Europe/London' NOT NULL,
	"next_incident_number" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_installations" (
	"key" text PRIMARY KEY NOT NULL,
	"installation" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reporter_id_people_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_number_uq" ON "incidents" USING btree ("school_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_submission_uq" ON "incidents" USING btree ("school_id","submission_key");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("school_id","status");--> statement-breakpoint
CREATE INDEX "incidents_reporter_idx" ON "incidents" USING btree ("school_id","reporter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_name_uq" ON "locations" USING btree ("school_id","name_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_order_idx" ON "outbox" USING btree ("order_key","id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_slack_uq" ON "people" USING btree ("school_id","slack_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_teams_uq" ON "people" USING btree ("school_id","teams_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_slack_team_uq" ON "schools" USING btree ("slack_team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_teams_tenant_uq" ON "schools" USING btree ("teams_tenant_id");