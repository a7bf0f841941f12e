CREATE INDEX "assets_warranty_idx" ON "assets" USING btree ("school_id","warranty_end") WHERE "assets"."status" <> 'disposed' and "assets"."warranty_end" is not null;--> statement-breakpoint
CREATE INDEX "contracts_open_end_idx" ON "contracts" USING btree ("school_id","end_date") WHERE "contracts"."status" <> 'ended';--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("school_id") WHERE "incidents"."status" not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("school_id","created_at");