-- A unique index instead of a constraint, with the same name (errors still say imdb_id): a
-- bulk import drops it and builds it once after inserting the episodes (8.1M rows inserted in
-- slot order would otherwise update it at random: about 3 s at full scale), and CREATE INDEX keeps
-- readers in where adding a constraint back would lock them out until commit.
ALTER TABLE "show_episodes" DROP CONSTRAINT "show_episodes_imdb_id_key";--> statement-breakpoint
CREATE UNIQUE INDEX "show_episodes_imdb_id_key" ON "show_episodes" USING btree ("imdb_id");