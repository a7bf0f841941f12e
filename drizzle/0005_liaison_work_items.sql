CREATE TYPE "public"."support_level" AS ENUM('first', 'second');--> statement-breakpoint
CREATE TYPE "public"."work_item_kind" AS ENUM('change', 'problem');--> statement-breakpoint
CREATE TYPE "public"."work_item_status" AS ENUM('proposed', 'approved', 'in_progress', 'implemented', 'reviewed', 'closed');--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"contract_id" uuid,
	"provider_ref" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"escalated_by" uuid,
	"escalated_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"last_chased_at" timestamp with time zone,
	"chase_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_item_incidents" (
	"school_id" uuid NOT NULL,
	"work_item_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"linked_by" uuid,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_item_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"work_item_id" uuid NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"kind" "work_item_kind" NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_id" uuid,
	"status" "work_item_status" DEFAULT 'proposed' NOT NULL,
	"percent_done" integer DEFAULT 0 NOT NULL,
	"target_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "diary_entries" ADD COLUMN "work_item_id" uuid;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "support_level" "support_level";--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "provider_id" uuid;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "provider_ref" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "sla_respond_minutes" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "sla_resolve_minutes" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "on_hold_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hold_reason" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "sla_paused_minutes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "sla_targets" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "next_change_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "next_problem_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_escalated_by_people_id_fk" FOREIGN KEY ("escalated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_incidents" ADD CONSTRAINT "work_item_incidents_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_incidents" ADD CONSTRAINT "work_item_incidents_work_item_id_work_items_id_fk" FOREIGN KEY ("work_item_id") REFERENCES "public"."work_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_incidents" ADD CONSTRAINT "work_item_incidents_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_incidents" ADD CONSTRAINT "work_item_incidents_linked_by_people_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_updates" ADD CONSTRAINT "work_item_updates_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_updates" ADD CONSTRAINT "work_item_updates_work_item_id_work_items_id_fk" FOREIGN KEY ("work_item_id") REFERENCES "public"."work_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_updates" ADD CONSTRAINT "work_item_updates_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalations_incident_idx" ON "escalations" USING btree ("school_id","incident_id");--> statement-breakpoint
CREATE INDEX "escalations_open_idx" ON "escalations" USING btree ("school_id","returned_at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_item_incidents_uq" ON "work_item_incidents" USING btree ("work_item_id","incident_id");--> statement-breakpoint
CREATE INDEX "work_item_incidents_incident_idx" ON "work_item_incidents" USING btree ("school_id","incident_id");--> statement-breakpoint
CREATE INDEX "work_item_updates_item_idx" ON "work_item_updates" USING btree ("work_item_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_number_uq" ON "work_items" USING btree ("school_id","kind","number");--> statement-breakpoint
CREATE INDEX "work_items_status_idx" ON "work_items" USING btree ("school_id","status");--> statement-breakpoint
ALTER TABLE "diary_entries" ADD CONSTRAINT "diary_entries_work_item_id_work_items_id_fk" FOREIGN KEY ("work_item_id") REFERENCES "public"."work_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;