DROP INDEX "outbox_order_idx";--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("id") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_pending_order_idx" ON "outbox" USING btree ("order_key","id") WHERE "outbox"."status" = 'pending';