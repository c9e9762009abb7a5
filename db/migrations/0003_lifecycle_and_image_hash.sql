ALTER TABLE "images" ADD COLUMN "dhash" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "last_ok_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "offline_since" timestamp with time zone;