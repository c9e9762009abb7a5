CREATE TABLE "crawl_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "frontier" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"url" text NOT NULL,
	"source_id" integer NOT NULL,
	"depth" integer DEFAULT 0 NOT NULL,
	"page_no" integer DEFAULT 0 NOT NULL,
	"newest_post_id" integer,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"page_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "post_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"permalink" text NOT NULL,
	"source_id" integer,
	"page_id" integer NOT NULL,
	"old_text_sha256" text,
	"new_text_sha256" text,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "meta" jsonb;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "render" text DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "respect_robots" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "approved" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "newest_post_id" integer;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "channel" jsonb;--> statement-breakpoint
ALTER TABLE "frontier" ADD CONSTRAINT "frontier_run_id_crawl_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."crawl_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontier" ADD CONSTRAINT "frontier_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frontier" ADD CONSTRAINT "frontier_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_events" ADD CONSTRAINT "post_events_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_events" ADD CONSTRAINT "post_events_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "frontier_run_url" ON "frontier" USING btree ("run_id","url");--> statement-breakpoint
CREATE INDEX "frontier_run_state" ON "frontier" USING btree ("run_id","state","id");--> statement-breakpoint
CREATE UNIQUE INDEX "post_events_kind_permalink_page" ON "post_events" USING btree ("kind","permalink","page_id");--> statement-breakpoint
CREATE INDEX "post_events_permalink" ON "post_events" USING btree ("permalink");--> statement-breakpoint
CREATE INDEX "listings_source" ON "listings" USING btree ("source_id");