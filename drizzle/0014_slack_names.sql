ALTER TABLE "people" ADD COLUMN "name_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "name_checked_at" timestamp with time zone;