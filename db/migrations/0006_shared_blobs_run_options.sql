CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_options" (
	"run_id" integer PRIMARY KEY NOT NULL,
	"options" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_options" ADD CONSTRAINT "run_options_run_id_crawl_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."crawl_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Blobs are content-addressed evidence bytes: written once, never changed or removed.
CREATE TRIGGER blobs_write_once BEFORE UPDATE OR DELETE ON blobs FOR EACH ROW EXECUTE FUNCTION dozor_refuse_change();
--> statement-breakpoint
CREATE TRIGGER blobs_no_truncate BEFORE TRUNCATE ON blobs FOR EACH STATEMENT EXECUTE FUNCTION dozor_refuse_change();
