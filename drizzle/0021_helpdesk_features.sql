CREATE TABLE "incident_followers" (
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_followers_school_id_incident_id_person_id_pk" PRIMARY KEY("school_id","incident_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "incident_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"slack_file_id" text,
	"name" text NOT NULL,
	"mimetype" text NOT NULL,
	"bytes" integer NOT NULL,
	"stored_path" text,
	"data" "bytea",
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_ratings" (
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"rating" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"assignee_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_ratings_school_id_incident_id_pk" PRIMARY KEY("school_id","incident_id")
);
--> statement-breakpoint
CREATE TABLE "known_fix_uses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"fix_id" uuid NOT NULL,
	"person_id" uuid,
	"kind" text NOT NULL,
	"incident_id" uuid,
	"key" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "known_fixes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"title" text NOT NULL,
	"steps" text NOT NULL,
	"location_id" uuid,
	"asset_type" "asset_type",
	"asset_id" uuid,
	"keywords" text DEFAULT '' NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || steps || ' ' || keywords)) STORED NOT NULL,
	"incident_id" uuid,
	"created_by_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "source_channel" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "source_ts" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "reacted_by_id" uuid;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "ticket_emoji" text DEFAULT 'ticket' NOT NULL;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "on_call_person_id" uuid;--> statement-breakpoint
ALTER TABLE "incident_followers" ADD CONSTRAINT "incident_followers_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_followers" ADD CONSTRAINT "incident_followers_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_followers" ADD CONSTRAINT "incident_followers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_ratings" ADD CONSTRAINT "incident_ratings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_ratings" ADD CONSTRAINT "incident_ratings_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_ratings" ADD CONSTRAINT "incident_ratings_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_ratings" ADD CONSTRAINT "incident_ratings_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fix_uses" ADD CONSTRAINT "known_fix_uses_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fix_uses" ADD CONSTRAINT "known_fix_uses_fix_id_known_fixes_id_fk" FOREIGN KEY ("fix_id") REFERENCES "public"."known_fixes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fix_uses" ADD CONSTRAINT "known_fix_uses_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fix_uses" ADD CONSTRAINT "known_fix_uses_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fixes" ADD CONSTRAINT "known_fixes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fixes" ADD CONSTRAINT "known_fixes_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fixes" ADD CONSTRAINT "known_fixes_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fixes" ADD CONSTRAINT "known_fixes_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "known_fixes" ADD CONSTRAINT "known_fixes_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_followers_person_idx" ON "incident_followers" USING btree ("school_id","person_id");--> statement-breakpoint
CREATE INDEX "incident_photos_incident_idx" ON "incident_photos" USING btree ("school_id","incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_photos_file_uq" ON "incident_photos" USING btree ("school_id","incident_id","slack_file_id");--> statement-breakpoint
CREATE INDEX "incident_ratings_school_idx" ON "incident_ratings" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "known_fix_uses_school_idx" ON "known_fix_uses" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "known_fix_uses_key_uq" ON "known_fix_uses" USING btree ("school_id","key");--> statement-breakpoint
CREATE INDEX "known_fixes_school_idx" ON "known_fixes" USING btree ("school_id") WHERE "known_fixes"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "known_fixes_search_idx" ON "known_fixes" USING gin ("search");--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_merged_into_id_incidents_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reacted_by_id_people_id_fk" FOREIGN KEY ("reacted_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_on_call_person_id_people_id_fk" FOREIGN KEY ("on_call_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_source_uq" ON "incidents" USING btree ("school_id","source_channel","source_ts");