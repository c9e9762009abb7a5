ALTER TABLE "pages" ADD COLUMN "redirects" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "pages" ADD COLUMN "tls" jsonb;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "discovered_from_listing_id" integer;