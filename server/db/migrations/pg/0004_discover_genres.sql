DROP INDEX "idx_title_genres_genre";--> statement-breakpoint
DROP INDEX "idx_titles_display_name";--> statement-breakpoint
CREATE INDEX "idx_titles_top_rated_voted" ON "titles" USING btree ("average_rating" DESC NULLS LAST,"num_votes" DESC NULLS LAST,"id") WHERE "titles"."num_votes" >= 1000;--> statement-breakpoint
CREATE INDEX "idx_titles_hidden_gems" ON "titles" USING btree ("average_rating" DESC NULLS LAST,"num_votes" DESC NULLS LAST,"id") WHERE "titles"."average_rating" >= 7.5 AND "titles"."num_votes" > 100 AND "titles"."num_votes" < 10000;--> statement-breakpoint
CREATE INDEX "idx_title_genres_genre" ON "title_genres" USING btree ("genre_id","title_id");--> statement-breakpoint
CREATE INDEX "idx_titles_display_name" ON "titles" USING btree ("display_name" COLLATE "C","id");