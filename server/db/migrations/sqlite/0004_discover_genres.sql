DROP INDEX `idx_title_genres_genre`;--> statement-breakpoint
CREATE INDEX `idx_title_genres_genre` ON `title_genres` (`genre_id`,`title_id`);--> statement-breakpoint
CREATE INDEX `idx_titles_top_rated_voted` ON `titles` ("average_rating" DESC,"num_votes" DESC,`id`) WHERE "titles"."num_votes" >= 1000;--> statement-breakpoint
CREATE INDEX `idx_titles_hidden_gems` ON `titles` ("average_rating" DESC,"num_votes" DESC,`id`) WHERE "titles"."average_rating" >= 7.5 AND "titles"."num_votes" > 100 AND "titles"."num_votes" < 10000;