-- Each of these single-column indexes is the leading column of a composite one that serves
-- the same ranges (idx_titles_trending, idx_titles_top_rated, idx_titles_newest), so they
-- only cost every write and a bulk import's rebuild (IF EXISTS: an interrupted bulk
-- import may have set them aside).
DROP INDEX IF EXISTS `idx_titles_popularity`;--> statement-breakpoint
DROP INDEX IF EXISTS `idx_titles_rating`;--> statement-breakpoint
DROP INDEX IF EXISTS `idx_titles_start_year`;
