DROP INDEX `idx_titles_needs_backfill`;--> statement-breakpoint
ALTER TABLE `titles` ADD `tmdb_not_found_at` text;--> statement-breakpoint
CREATE INDEX `idx_titles_needs_backfill` ON `titles` ("num_votes" DESC,`id`) WHERE "titles"."needs_backfill_tmdb" = 1;