-- MediaCanon schema for PostgreSQL: the reference data model (DESIGN section 4).
--
-- This is what the migrations in server/db/migrations/pg build, in one file, for reading
-- and for setting up a database by hand (psql -d mediacanon -f schema.sql). The app applies
-- the migrations itself at start; server/db/schema-sql.test.ts keeps this file equal to them.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE "collection_clicks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"collection_id" integer NOT NULL,
	"clicked_at" timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE "collection_titles" (
	"collection_id" integer NOT NULL,
	"title_id" integer NOT NULL,
	"rank" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "collection_titles_collection_id_title_id_pk" PRIMARY KEY("collection_id","title_id")
);

CREATE TABLE "collections" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(200) NOT NULL,
	"slug" varchar(200) NOT NULL,
	"description" text,
	"strategy" varchar(20) DEFAULT 'filter' NOT NULL,
	"filter_params" jsonb,
	"languages" text[],
	"regions" text[],
	"pinned" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"engagement_count" real DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collections_slug_key" UNIQUE("slug"),
	CONSTRAINT "collections_strategy_check" CHECK ("collections"."strategy" IN ('filter', 'static', 'llm'))
);

CREATE TABLE "custom_genre_reviews" (
	"title_id" integer PRIMARY KEY NOT NULL,
	"reviewed_at" timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE "genres" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(50) NOT NULL,
	"is_custom" boolean DEFAULT false NOT NULL,
	CONSTRAINT "genres_name_key" UNIQUE("name")
);

CREATE TABLE "movies" (
	"id" serial PRIMARY KEY NOT NULL,
	"title_id" integer NOT NULL,
	CONSTRAINT "movies_title_id_key" UNIQUE("title_id")
);

CREATE TABLE "show_episodes" (
	"id" serial PRIMARY KEY NOT NULL,
	"season_id" integer NOT NULL,
	"episode" integer NOT NULL,
	"imdb_id" varchar(20) COLLATE "C",
	"display_name" varchar(500),
	"synopsis" text,
	"image_url" text,
	"air_date" date,
	"runtime_minutes" integer
);

CREATE TABLE "show_seasons" (
	"id" serial PRIMARY KEY NOT NULL,
	"show_id" integer NOT NULL,
	"season" integer NOT NULL
);

CREATE TABLE "shows" (
	"id" serial PRIMARY KEY NOT NULL,
	"title_id" integer NOT NULL,
	CONSTRAINT "shows_title_id_key" UNIQUE("title_id")
);

CREATE TABLE "sync_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" varchar(30) NOT NULL,
	"status" varchar(20) NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"stats" jsonb,
	"error" text,
	CONSTRAINT "sync_jobs_status_check" CHECK ("sync_jobs"."status" IN ('running', 'succeeded', 'failed', 'cancelled', 'skipped'))
);

CREATE TABLE "sync_state" (
	"key" varchar(100) PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE "title_genres" (
	"title_id" integer NOT NULL,
	"genre_id" integer NOT NULL,
	CONSTRAINT "title_genres_title_id_genre_id_pk" PRIMARY KEY("title_id","genre_id")
);

CREATE TABLE "title_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title_id" integer NOT NULL,
	"source" varchar(100),
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE "titles" (
	"id" serial PRIMARY KEY NOT NULL,
	"type" varchar(10) NOT NULL,
	"display_name" varchar(500) NOT NULL,
	"search_name" text DEFAULT '' NOT NULL,
	"start_year" integer,
	"end_year" integer,
	"imdb_id" varchar(20) COLLATE "C",
	"image_url" text,
	"tmdb_id" integer,
	"num_votes" integer,
	"average_rating" numeric(3, 1),
	"original_title" varchar(500),
	"original_language" varchar(10),
	"release_date" date,
	"tmdb_popularity" double precision,
	"runtime_minutes" integer,
	"origin_country" varchar(10),
	"needs_backfill_tmdb" boolean DEFAULT true NOT NULL,
	"episodes_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "titles_imdb_id_key" UNIQUE("imdb_id"),
	CONSTRAINT "titles_type_check" CHECK ("titles"."type" IN ('movie', 'show'))
);

ALTER TABLE "collection_clicks" ADD CONSTRAINT "collection_clicks_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "collection_titles" ADD CONSTRAINT "collection_titles_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "collection_titles" ADD CONSTRAINT "collection_titles_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "custom_genre_reviews" ADD CONSTRAINT "custom_genre_reviews_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "movies" ADD CONSTRAINT "movies_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "show_episodes" ADD CONSTRAINT "show_episodes_season_id_show_seasons_id_fk" FOREIGN KEY ("season_id") REFERENCES "public"."show_seasons"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "show_seasons" ADD CONSTRAINT "show_seasons_show_id_shows_id_fk" FOREIGN KEY ("show_id") REFERENCES "public"."shows"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "shows" ADD CONSTRAINT "shows_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "title_genres" ADD CONSTRAINT "title_genres_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "title_genres" ADD CONSTRAINT "title_genres_genre_id_genres_id_fk" FOREIGN KEY ("genre_id") REFERENCES "public"."genres"("id") ON DELETE cascade ON UPDATE no action;
ALTER TABLE "title_views" ADD CONSTRAINT "title_views_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
CREATE INDEX "idx_collection_clicks_collection" ON "collection_clicks" USING btree ("collection_id");
CREATE INDEX "idx_collection_clicks_clicked_at" ON "collection_clicks" USING btree ("clicked_at");
CREATE INDEX "idx_collection_titles_rank" ON "collection_titles" USING btree ("collection_id","rank");
CREATE INDEX "idx_collection_titles_title" ON "collection_titles" USING btree ("title_id");
CREATE INDEX "idx_collections_active" ON "collections" USING btree ("active");
CREATE UNIQUE INDEX "show_episodes_imdb_id_key" ON "show_episodes" USING btree ("imdb_id");
CREATE UNIQUE INDEX "show_episodes_season_id_episode_key" ON "show_episodes" USING btree ("season_id","episode");
CREATE UNIQUE INDEX "show_seasons_show_id_season_key" ON "show_seasons" USING btree ("show_id","season");
CREATE INDEX "idx_sync_jobs_kind_started" ON "sync_jobs" USING btree ("kind","started_at");
CREATE INDEX "idx_title_genres_genre" ON "title_genres" USING btree ("genre_id");
CREATE INDEX "idx_title_views_title" ON "title_views" USING btree ("title_id");
CREATE INDEX "idx_title_views_viewed_at" ON "title_views" USING btree ("viewed_at");
CREATE INDEX "idx_titles_num_votes" ON "titles" USING btree ("num_votes" DESC NULLS LAST,"id","type","original_language","search_name");
CREATE INDEX "idx_titles_type_votes" ON "titles" USING btree ("type","num_votes" DESC NULLS LAST,"id");
CREATE INDEX "idx_titles_language_votes" ON "titles" USING btree ("original_language","num_votes" DESC NULLS LAST,"id");
CREATE INDEX "idx_titles_search_name" ON "titles" USING btree ("search_name" text_pattern_ops,"num_votes" DESC NULLS LAST,"id","type","original_language");
CREATE INDEX "idx_titles_search_trgm" ON "titles" USING gin ("search_name" gin_trgm_ops);
CREATE INDEX "idx_titles_needs_backfill" ON "titles" USING btree ("needs_backfill_tmdb") WHERE "titles"."needs_backfill_tmdb" = true;
CREATE INDEX "idx_titles_trending" ON "titles" USING btree ("tmdb_popularity" DESC NULLS LAST,"id");
CREATE INDEX "idx_titles_top_rated" ON "titles" USING btree ("average_rating" DESC NULLS LAST,"num_votes" DESC NULLS LAST,"id");
CREATE INDEX "idx_titles_newest" ON "titles" USING btree ("start_year" DESC NULLS LAST,"release_date" DESC NULLS LAST,"id");
CREATE INDEX "idx_titles_display_name" ON "titles" USING btree ("display_name","id");

-- 0002_engagement
CREATE TABLE "title_engagement" (
	"title_id" integer PRIMARY KEY NOT NULL,
	"views" integer NOT NULL
);
ALTER TABLE "collection_clicks" ADD COLUMN "click_count" integer DEFAULT 1 NOT NULL;
ALTER TABLE "title_views" ADD COLUMN "view_count" integer DEFAULT 1 NOT NULL;
ALTER TABLE "title_engagement" ADD CONSTRAINT "title_engagement_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;
CREATE INDEX "idx_title_engagement_views" ON "title_engagement" USING btree ("views" DESC NULLS LAST,"title_id");

-- 0003_tmdb
DROP INDEX "idx_titles_needs_backfill";
ALTER TABLE "titles" ADD COLUMN "tmdb_not_found_at" timestamp with time zone;
CREATE INDEX "idx_titles_needs_backfill" ON "titles" USING btree ("num_votes" DESC NULLS LAST,"id") WHERE "titles"."needs_backfill_tmdb" = true;

-- 0004_discover_genres
DROP INDEX "idx_title_genres_genre";
DROP INDEX "idx_titles_display_name";
CREATE INDEX "idx_titles_top_rated_voted" ON "titles" USING btree ("average_rating" DESC NULLS LAST,"num_votes" DESC NULLS LAST,"id") WHERE "titles"."num_votes" >= 1000;
CREATE INDEX "idx_titles_hidden_gems" ON "titles" USING btree ("average_rating" DESC NULLS LAST,"num_votes" DESC NULLS LAST,"id") WHERE "titles"."average_rating" >= 7.5 AND "titles"."num_votes" > 100 AND "titles"."num_votes" < 10000;
CREATE INDEX "idx_title_genres_genre" ON "title_genres" USING btree ("genre_id","title_id");
CREATE INDEX "idx_titles_display_name" ON "titles" USING btree ("display_name" COLLATE "C","id");
