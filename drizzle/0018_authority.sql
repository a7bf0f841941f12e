CREATE TYPE "public"."school_kind" AS ENUM('school', 'authority');--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'authority';--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "authority_school_id" uuid;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "kind" "school_kind" DEFAULT 'school' NOT NULL;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "authority_id" uuid;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_authority_school_id_schools_id_fk" FOREIGN KEY ("authority_school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_authority_id_schools_id_fk" FOREIGN KEY ("authority_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schools_authority_idx" ON "schools" USING btree ("authority_id");