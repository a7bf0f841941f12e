CREATE TYPE "public"."teams_conversation_kind" AS ENUM('personal', 'channel', 'groupChat');--> statement-breakpoint
CREATE TABLE "teams_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid,
	"tenant_id" text NOT NULL,
	"team_id" text,
	"conversation_id" text NOT NULL,
	"kind" "teams_conversation_kind" NOT NULL,
	"aad_object_id" text,
	"user_id" text,
	"reference" jsonb NOT NULL,
	"installed" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "schools_teams_tenant_uq";--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "teams_team_id" text;--> statement-breakpoint
ALTER TABLE "teams_conversations" ADD CONSTRAINT "teams_conversations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "teams_conversations_conversation_uq" ON "teams_conversations" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "teams_conversations_person_idx" ON "teams_conversations" USING btree ("tenant_id","aad_object_id");--> statement-breakpoint
CREATE INDEX "teams_conversations_school_idx" ON "teams_conversations" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_teams_team_uq" ON "schools" USING btree ("teams_tenant_id","teams_team_id");