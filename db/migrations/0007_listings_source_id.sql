DROP INDEX "listings_source";--> statement-breakpoint
CREATE INDEX "listings_source_id" ON "listings" USING btree ("source_id","id");