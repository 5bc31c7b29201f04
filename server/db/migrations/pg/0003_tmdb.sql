DROP INDEX "idx_titles_needs_backfill";--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "tmdb_not_found_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "idx_titles_needs_backfill" ON "titles" USING btree ("num_votes" DESC NULLS LAST,"id") WHERE "titles"."needs_backfill_tmdb" = true;