CREATE TABLE "incident_status_messages" (
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"posted_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_status_messages_school_id_incident_id_person_id_pk" PRIMARY KEY("school_id","incident_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "incident_status_messages" ADD CONSTRAINT "incident_status_messages_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_status_messages" ADD CONSTRAINT "incident_status_messages_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_status_messages" ADD CONSTRAINT "incident_status_messages_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;