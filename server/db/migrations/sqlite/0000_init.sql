CREATE TABLE `collection_clicks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collection_id` integer NOT NULL,
	`clicked_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_collection_clicks_collection` ON `collection_clicks` (`collection_id`);--> statement-breakpoint
CREATE INDEX `idx_collection_clicks_clicked_at` ON `collection_clicks` (`clicked_at`);--> statement-breakpoint
CREATE TABLE `collection_titles` (
	`collection_id` integer NOT NULL,
	`title_id` integer NOT NULL,
	`rank` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`collection_id`, `title_id`),
	FOREIGN KEY (`collection_id`) REFERENCES `collections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_collection_titles_rank` ON `collection_titles` (`collection_id`,`rank`);--> statement-breakpoint
CREATE INDEX `idx_collection_titles_title` ON `collection_titles` (`title_id`);--> statement-breakpoint
CREATE TABLE `collections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`description` text,
	`strategy` text DEFAULT 'filter' NOT NULL,
	`filter_params` text,
	`languages` text,
	`regions` text,
	`pinned` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`engagement_count` real DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "collections_strategy_check" CHECK("collections"."strategy" IN ('filter', 'static', 'llm'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `collections_slug_key` ON `collections` (`slug`);--> statement-breakpoint
CREATE INDEX `idx_collections_active` ON `collections` (`active`);--> statement-breakpoint
CREATE TABLE `custom_genre_reviews` (
	`title_id` integer PRIMARY KEY NOT NULL,
	`reviewed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `genres` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`is_custom` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `genres_name_key` ON `genres` (`name`);--> statement-breakpoint
CREATE TABLE `movies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title_id` integer NOT NULL,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `movies_title_id_key` ON `movies` (`title_id`);--> statement-breakpoint
CREATE TABLE `show_episodes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`season_id` integer NOT NULL,
	`episode` integer NOT NULL,
	`imdb_id` text,
	`display_name` text,
	`synopsis` text,
	`image_url` text,
	`air_date` text,
	`runtime_minutes` integer,
	FOREIGN KEY (`season_id`) REFERENCES `show_seasons`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `show_episodes_imdb_id_key` ON `show_episodes` (`imdb_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `show_episodes_season_id_episode_key` ON `show_episodes` (`season_id`,`episode`);--> statement-breakpoint
CREATE TABLE `show_seasons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`show_id` integer NOT NULL,
	`season` integer NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `show_seasons_show_id_season_key` ON `show_seasons` (`show_id`,`season`);--> statement-breakpoint
CREATE TABLE `shows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title_id` integer NOT NULL,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shows_title_id_key` ON `shows` (`title_id`);--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text,
	`stats` text,
	`error` text,
	CONSTRAINT "sync_jobs_status_check" CHECK("sync_jobs"."status" IN ('running', 'succeeded', 'failed', 'cancelled', 'skipped'))
);
--> statement-breakpoint
CREATE INDEX `idx_sync_jobs_kind_started` ON `sync_jobs` (`kind`,`started_at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `title_genres` (
	`title_id` integer NOT NULL,
	`genre_id` integer NOT NULL,
	PRIMARY KEY(`title_id`, `genre_id`),
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genre_id`) REFERENCES `genres`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_title_genres_genre` ON `title_genres` (`genre_id`);--> statement-breakpoint
CREATE TABLE `title_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title_id` integer NOT NULL,
	`source` text,
	`viewed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_title_views_title` ON `title_views` (`title_id`);--> statement-breakpoint
CREATE INDEX `idx_title_views_viewed_at` ON `title_views` (`viewed_at`);--> statement-breakpoint
CREATE TABLE `titles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`display_name` text NOT NULL,
	`search_name` text DEFAULT '' NOT NULL,
	`start_year` integer,
	`end_year` integer,
	`imdb_id` text,
	`image_url` text,
	`tmdb_id` integer,
	`num_votes` integer,
	`average_rating` real,
	`original_title` text,
	`original_language` text,
	`release_date` text,
	`tmdb_popularity` real,
	`runtime_minutes` integer,
	`origin_country` text,
	`needs_backfill_tmdb` integer DEFAULT true NOT NULL,
	`episodes_checked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "titles_type_check" CHECK("titles"."type" IN ('movie', 'show'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `titles_imdb_id_key` ON `titles` (`imdb_id`);--> statement-breakpoint
CREATE INDEX `idx_titles_num_votes` ON `titles` ("num_votes" DESC,`id`,`type`,`original_language`,`search_name`);--> statement-breakpoint
CREATE INDEX `idx_titles_type_votes` ON `titles` (`type`,"num_votes" DESC,`id`);--> statement-breakpoint
CREATE INDEX `idx_titles_popularity` ON `titles` (`tmdb_popularity`);--> statement-breakpoint
CREATE INDEX `idx_titles_rating` ON `titles` (`average_rating`);--> statement-breakpoint
CREATE INDEX `idx_titles_start_year` ON `titles` (`start_year`);--> statement-breakpoint
CREATE INDEX `idx_titles_language_votes` ON `titles` (`original_language`,"num_votes" DESC,`id`);--> statement-breakpoint
CREATE INDEX `idx_titles_search_name` ON `titles` (`search_name`,"num_votes" DESC,`id`,`type`,`original_language`);--> statement-breakpoint
CREATE INDEX `idx_titles_needs_backfill` ON `titles` (`needs_backfill_tmdb`) WHERE "titles"."needs_backfill_tmdb" = 1;--> statement-breakpoint
-- Title search: an external-content FTS5 table over titles.search_name with the trigram
-- tokenizer, so substring queries are index lookups, kept in step by triggers.
CREATE VIRTUAL TABLE `titles_fts` USING fts5(search_name, content='titles', content_rowid='id', tokenize='trigram', columnsize=0);--> statement-breakpoint
CREATE TRIGGER `titles_fts_insert` AFTER INSERT ON `titles` BEGIN
  INSERT INTO titles_fts(rowid, search_name) VALUES (new.id, new.search_name);
END;--> statement-breakpoint
CREATE TRIGGER `titles_fts_delete` AFTER DELETE ON `titles` BEGIN
  INSERT INTO titles_fts(titles_fts, rowid, search_name) VALUES ('delete', old.id, old.search_name);
END;--> statement-breakpoint
CREATE TRIGGER `titles_fts_update` AFTER UPDATE OF search_name ON `titles` BEGIN
  INSERT INTO titles_fts(titles_fts, rowid, search_name) VALUES ('delete', old.id, old.search_name);
  INSERT INTO titles_fts(rowid, search_name) VALUES (new.id, new.search_name);
END;
