/**
 * PostgreSQL schema: the reference data model (DESIGN section 4). `schema.sql` at the
 * repository root is its DDL, kept equal to what the migrations build by a test.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * An IMDb id (tt0111161): ASCII, so compared byte by byte whatever the database's locale.
 * Under a linguistic collation (en_US.UTF-8, Debian's default) every comparison goes
 * through strcoll and sorts lose abbreviated keys: at full scale the import's build of
 * show_episodes' imdb_id key took 10.7 s instead of 2.8 s. Equality is the same either way.
 */
const imdbId = customType<{ data: string; driverData: string }>({
  dataType: () => 'varchar(20) COLLATE "C"',
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

export const titles = pgTable(
  'titles',
  {
    id: serial('id').primaryKey(),
    type: varchar('type', { length: 10 }).notNull(),
    displayName: varchar('display_name', { length: 500 }).notNull(),
    // Lower-cased, accent-free copy of display_name that the search indexes cover:
    // a text_pattern_ops btree serves exact and prefix matches, the trigram index substrings.
    searchName: text('search_name').notNull().default(''),
    startYear: integer('start_year'),
    endYear: integer('end_year'),
    imdbId: imdbId('imdb_id').unique('titles_imdb_id_key'),
    imageUrl: text('image_url'),
    tmdbId: integer('tmdb_id'),
    numVotes: integer('num_votes'),
    // IMDb publishes one decimal; numeric keeps it exact so an unchanged rating compares equal.
    averageRating: numeric('average_rating', { precision: 3, scale: 1 }),
    originalTitle: varchar('original_title', { length: 500 }),
    originalLanguage: varchar('original_language', { length: 10 }),
    releaseDate: date('release_date', { mode: 'string' }),
    tmdbPopularity: doublePrecision('tmdb_popularity'),
    runtimeMinutes: integer('runtime_minutes'),
    originCountry: varchar('origin_country', { length: 10 }),
    needsBackfillTmdb: boolean('needs_backfill_tmdb').notNull().default(true),
    episodesCheckedAt: timestamp('episodes_checked_at', { withTimezone: true, mode: 'string' }),
    // Set when TMDB answered that it does not know this title: it is not asked again
    // (instead of the original's 'none' sentinel in image_url).
    tmdbNotFoundAt: timestamp('tmdb_not_found_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('titles_type_check', sql`${t.type} IN ('movie', 'show')`),
    // Search and listings walk titles in votes order; type, language and search_name ride
    // along so filters are checked in the index, without visiting the table.
    index('idx_titles_num_votes').on(
      sql`${t.numVotes} DESC NULLS LAST`,
      t.id,
      t.type,
      t.originalLanguage,
      t.searchName,
    ),
    index('idx_titles_type_votes').on(t.type, sql`${t.numVotes} DESC NULLS LAST`, t.id),
    index('idx_titles_language_votes').on(t.originalLanguage, sql`${t.numVotes} DESC NULLS LAST`, t.id),
    // Exact names come out in votes order; prefixes are a range (text_pattern_ops for LIKE 'k%').
    index('idx_titles_search_name').on(
      sql`${t.searchName} text_pattern_ops`,
      sql`${t.numVotes} DESC NULLS LAST`,
      t.id,
      t.type,
      t.originalLanguage,
    ),
    index('idx_titles_search_trgm').using('gin', sql`${t.searchName} gin_trgm_ops`),
    // The TMDB backfill walks flagged titles most-voted first: a partial index in that order.
    index('idx_titles_needs_backfill')
      .on(sql`${t.numVotes} DESC NULLS LAST`, t.id)
      .where(sql`${t.needsBackfillTmdb} = true`),
    // Discover's orders exactly, id last, so a page of any sort is an index walk, not a sort.
    index('idx_titles_trending').on(sql`${t.tmdbPopularity} DESC NULLS LAST`, t.id),
    index('idx_titles_top_rated').on(sql`${t.averageRating} DESC NULLS LAST`, sql`${t.numVotes} DESC NULLS LAST`, t.id),
    index('idx_titles_newest').on(sql`${t.startYear} DESC NULLS LAST`, sql`${t.releaseDate} DESC NULLS LAST`, t.id),
    // Byte order, as SQLite's BINARY: a-z pages alike whatever the database's collation.
    index('idx_titles_display_name').on(sql`${t.displayName} COLLATE "C"`, t.id),
    // The titles top_rated (by default) and hidden_gems keep: a genre's page walks these.
    index('idx_titles_top_rated_voted')
      .on(sql`${t.averageRating} DESC NULLS LAST`, sql`${t.numVotes} DESC NULLS LAST`, t.id)
      .where(sql`${t.numVotes} >= 1000`),
    index('idx_titles_hidden_gems')
      .on(sql`${t.averageRating} DESC NULLS LAST`, sql`${t.numVotes} DESC NULLS LAST`, t.id)
      .where(sql`${t.averageRating} >= 7.5 AND ${t.numVotes} > 100 AND ${t.numVotes} < 10000`),
  ],
);

export const movies = pgTable('movies', {
  id: serial('id').primaryKey(),
  titleId: integer('title_id')
    .notNull()
    .unique('movies_title_id_key')
    .references(() => titles.id, { onDelete: 'cascade' }),
});

export const shows = pgTable('shows', {
  id: serial('id').primaryKey(),
  titleId: integer('title_id')
    .notNull()
    .unique('shows_title_id_key')
    .references(() => titles.id, { onDelete: 'cascade' }),
});

export const showSeasons = pgTable(
  'show_seasons',
  {
    id: serial('id').primaryKey(),
    showId: integer('show_id')
      .notNull()
      .references(() => shows.id, { onDelete: 'cascade' }),
    season: integer('season').notNull(),
  },
  (t) => [uniqueIndex('show_seasons_show_id_season_key').on(t.showId, t.season)],
);

export const showEpisodes = pgTable(
  'show_episodes',
  {
    id: serial('id').primaryKey(),
    seasonId: integer('season_id')
      .notNull()
      .references(() => showSeasons.id, { onDelete: 'cascade' }),
    episode: integer('episode').notNull(),
    imdbId: imdbId('imdb_id'),
    displayName: varchar('display_name', { length: 500 }),
    synopsis: text('synopsis'),
    imageUrl: text('image_url'),
    airDate: date('air_date', { mode: 'string' }),
    runtimeMinutes: integer('runtime_minutes'),
  },
  // Unique indexes, not constraints: a bulk import can drop and rebuild them without
  // locking readers out (bulk-insert.pg.ts), and nothing refers to either key.
  (t) => [
    uniqueIndex('show_episodes_season_id_episode_key').on(t.seasonId, t.episode),
    uniqueIndex('show_episodes_imdb_id_key').on(t.imdbId),
  ],
);

export const genres = pgTable('genres', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 50 }).notNull().unique('genres_name_key'),
  isCustom: boolean('is_custom').notNull().default(false),
});

export const titleGenres = pgTable(
  'title_genres',
  {
    titleId: integer('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    genreId: integer('genre_id')
      .notNull()
      .references(() => genres.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.titleId, t.genreId] }), index('idx_title_genres_genre').on(t.genreId, t.titleId)],
);

export const customGenreReviews = pgTable('custom_genre_reviews', {
  titleId: integer('title_id')
    .primaryKey()
    .references(() => titles.id, { onDelete: 'cascade' }),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

export const collections = pgTable(
  'collections',
  {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 200 }).notNull(),
    slug: varchar('slug', { length: 200 }).notNull().unique('collections_slug_key'),
    description: text('description'),
    strategy: varchar('strategy', { length: 20 }).notNull().default('filter'),
    filterParams: jsonb('filter_params'),
    languages: text('languages').array(),
    regions: text('regions').array(),
    pinned: boolean('pinned').notNull().default(false),
    active: boolean('active').notNull().default(true),
    engagementCount: real('engagement_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('collections_strategy_check', sql`${t.strategy} IN ('filter', 'static', 'llm')`),
    index('idx_collections_active').on(t.active),
  ],
);

export const collectionTitles = pgTable(
  'collection_titles',
  {
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    titleId: integer('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.collectionId, t.titleId] }),
    index('idx_collection_titles_rank').on(t.collectionId, t.rank),
    index('idx_collection_titles_title').on(t.titleId),
  ],
);

export const collectionClicks = pgTable(
  'collection_clicks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    clickedAt: timestamp('clicked_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** Clicks folded into this row by one flush of the engagement recorder. */
    clickCount: integer('click_count').notNull().default(1),
  },
  (t) => [
    index('idx_collection_clicks_collection').on(t.collectionId),
    index('idx_collection_clicks_clicked_at').on(t.clickedAt),
  ],
);

export const titleViews = pgTable(
  'title_views',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    titleId: integer('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    source: varchar('source', { length: 100 }),
    viewedAt: timestamp('viewed_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** Views of (title, source) folded into this row by one flush of the engagement recorder. */
    viewCount: integer('view_count').notNull().default(1),
  },
  (t) => [index('idx_title_views_title').on(t.titleId), index('idx_title_views_viewed_at').on(t.viewedAt)],
);

/** Views per title in the engagement window: added to by each flush, recomputed by the cleanup. */
export const titleEngagement = pgTable(
  'title_engagement',
  {
    titleId: integer('title_id')
      .primaryKey()
      .references(() => titles.id, { onDelete: 'cascade' }),
    views: integer('views').notNull(),
  },
  (t) => [index('idx_title_engagement_views').on(sql`${t.views} DESC NULLS LAST`, t.titleId)],
);

export const syncState = pgTable('sync_state', {
  key: varchar('key', { length: 100 }).primaryKey(),
  value: text('value').notNull(),
  updatedAt: updatedAt(),
});

export const syncJobs = pgTable(
  'sync_jobs',
  {
    id: serial('id').primaryKey(),
    kind: varchar('kind', { length: 30 }).notNull(),
    status: varchar('status', { length: 20 }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
    stats: jsonb('stats'),
    error: text('error'),
  },
  (t) => [
    check('sync_jobs_status_check', sql`${t.status} IN ('running', 'succeeded', 'failed', 'cancelled', 'skipped')`),
    index('idx_sync_jobs_kind_started').on(t.kind, t.startedAt),
  ],
);
