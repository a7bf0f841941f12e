ALTER TABLE "schools" ADD COLUMN "slack_enterprise_id" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "slack_uninstalled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "schools_slack_enterprise_idx" ON "schools" USING btree ("slack_enterprise_id");