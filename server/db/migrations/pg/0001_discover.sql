CREATE INDEX "idx_titles_trending" ON "titles" USING btree ("tmdb_popularity" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "idx_titles_top_rated" ON "titles" USING btree ("average_rating" DESC NULLS LAST,"num_votes" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "idx_titles_newest" ON "titles" USING btree ("start_year" DESC NULLS LAST,"release_date" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "idx_titles_display_name" ON "titles" USING btree ("display_name","id");