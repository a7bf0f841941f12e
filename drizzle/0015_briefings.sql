CREATE TABLE "briefings" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"digest" jsonb,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"channel" text,
	"posted_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "briefings_school_id_day_pk" PRIMARY KEY("school_id","day")
);
--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;