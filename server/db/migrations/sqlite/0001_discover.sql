CREATE INDEX `idx_titles_trending` ON `titles` ("tmdb_popularity" DESC,`id`);--> statement-breakpoint
CREATE INDEX `idx_titles_top_rated` ON `titles` ("average_rating" DESC,"num_votes" DESC,`id`);--> statement-breakpoint
CREATE INDEX `idx_titles_newest` ON `titles` ("start_year" DESC,"release_date" DESC,`id`);--> statement-breakpoint
CREATE INDEX `idx_titles_display_name` ON `titles` (`display_name`,`id`);