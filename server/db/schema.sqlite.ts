/**
 * SQLite schema: the same tables and columns as schema.pg.ts. Booleans are 0/1 integers,
 * dates and timestamps ISO-8601 text, arrays and JSON are JSON text. The FTS5 search
 * table and its triggers live in the migration SQL (drizzle has no virtual tables).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Same shape as PostgreSQL's timestamptz output once it is turned into ISO text.
const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const createdAt = () => text('created_at').notNull().default(nowIso);
const updatedAt = () => text('updated_at').notNull().default(nowIso);

export const titles = sqliteTable(
  'titles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    displayName: text('display_name').notNull(),
    searchName: text('search_name').notNull().default(''),
    startYear: integer('start_year'),
    endYear: integer('end_year'),
    imdbId: text('imdb_id').unique('titles_imdb_id_key'),
    imageUrl: text('image_url'),
    tmdbId: integer('tmdb_id'),
    numVotes: integer('num_votes'),
    averageRating: real('average_rating'),
    originalTitle: text('original_title'),
    originalLanguage: text('original_language'),
    releaseDate: text('release_date'),
    tmdbPopularity: real('tmdb_popularity'),
    runtimeMinutes: integer('runtime_minutes'),
    originCountry: text('origin_country'),
    needsBackfillTmdb: integer('needs_backfill_tmdb', { mode: 'boolean' }).notNull().default(true),
    episodesCheckedAt: text('episodes_checked_at'),
    tmdbNotFoundAt: text('tmdb_not_found_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('titles_type_check', sql`${t.type} IN ('movie', 'show')`),
    index('idx_titles_num_votes').on(sql`${t.numVotes} DESC`, t.id, t.type, t.originalLanguage, t.searchName),
    index('idx_titles_type_votes').on(t.type, sql`${t.numVotes} DESC`, t.id),
    index('idx_titles_language_votes').on(t.originalLanguage, sql`${t.numVotes} DESC`, t.id),
    index('idx_titles_search_name').on(t.searchName, sql`${t.numVotes} DESC`, t.id, t.type, t.originalLanguage),
    index('idx_titles_needs_backfill').on(sql`${t.numVotes} DESC`, t.id).where(sql`${t.needsBackfillTmdb} = 1`),
    // Discover's orders (DESC already puts NULLs last on SQLite), id last.
    index('idx_titles_trending').on(sql`${t.tmdbPopularity} DESC`, t.id),
    index('idx_titles_top_rated').on(sql`${t.averageRating} DESC`, sql`${t.numVotes} DESC`, t.id),
    index('idx_titles_newest').on(sql`${t.startYear} DESC`, sql`${t.releaseDate} DESC`, t.id),
    index('idx_titles_display_name').on(t.displayName, t.id),
    // The titles top_rated (by default) and hidden_gems keep: a genre's page walks these.
    index('idx_titles_top_rated_voted')
      .on(sql`${t.averageRating} DESC`, sql`${t.numVotes} DESC`, t.id)
      .where(sql`${t.numVotes} >= 1000`),
    index('idx_titles_hidden_gems')
      .on(sql`${t.averageRating} DESC`, sql`${t.numVotes} DESC`, t.id)
      .where(sql`${t.averageRating} >= 7.5 AND ${t.numVotes} > 100 AND ${t.numVotes} < 10000`),
  ],
);

export const movies = sqliteTable('movies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  titleId: integer('title_id')
    .notNull()
    .unique('movies_title_id_key')
    .references(() => titles.id, { onDelete: 'cascade' }),
});

export const shows = sqliteTable('shows', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  titleId: integer('title_id')
    .notNull()
    .unique('shows_title_id_key')
    .references(() => titles.id, { onDelete: 'cascade' }),
});

export const showSeasons = sqliteTable(
  'show_seasons',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    showId: integer('show_id')
      .notNull()
      .references(() => shows.id, { onDelete: 'cascade' }),
    season: integer('season').notNull(),
  },
  (t) => [uniqueIndex('show_seasons_show_id_season_key').on(t.showId, t.season)],
);

export const showEpisodes = sqliteTable(
  'show_episodes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    seasonId: integer('season_id')
      .notNull()
      .references(() => showSeasons.id, { onDelete: 'cascade' }),
    episode: integer('episode').notNull(),
    imdbId: text('imdb_id').unique('show_episodes_imdb_id_key'),
    displayName: text('display_name'),
    synopsis: text('synopsis'),
    imageUrl: text('image_url'),
    airDate: text('air_date'),
    runtimeMinutes: integer('runtime_minutes'),
  },
  (t) => [uniqueIndex('show_episodes_season_id_episode_key').on(t.seasonId, t.episode)],
);

export const genres = sqliteTable('genres', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique('genres_name_key'),
  isCustom: integer('is_custom', { mode: 'boolean' }).notNull().default(false),
});

export const titleGenres = sqliteTable(
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

export const customGenreReviews = sqliteTable('custom_genre_reviews', {
  titleId: integer('title_id')
    .primaryKey()
    .references(() => titles.id, { onDelete: 'cascade' }),
  reviewedAt: text('reviewed_at').notNull().default(nowIso),
});

export const collections = sqliteTable(
  'collections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique('collections_slug_key'),
    description: text('description'),
    strategy: text('strategy').notNull().default('filter'),
    filterParams: text('filter_params'),
    languages: text('languages'),
    regions: text('regions'),
    pinned: integer('pinned', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    engagementCount: real('engagement_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('collections_strategy_check', sql`${t.strategy} IN ('filter', 'static', 'llm')`),
    index('idx_collections_active').on(t.active),
  ],
);

export const collectionTitles = sqliteTable(
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

export const collectionClicks = sqliteTable(
  'collection_clicks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    clickedAt: text('clicked_at').notNull().default(nowIso),
    /** Clicks folded into this row by one flush of the engagement recorder. */
    clickCount: integer('click_count').notNull().default(1),
  },
  (t) => [
    index('idx_collection_clicks_collection').on(t.collectionId),
    index('idx_collection_clicks_clicked_at').on(t.clickedAt),
  ],
);

export const titleViews = sqliteTable(
  'title_views',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    titleId: integer('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    source: text('source'),
    viewedAt: text('viewed_at').notNull().default(nowIso),
    /** Views of (title, source) folded into this row by one flush of the engagement recorder. */
    viewCount: integer('view_count').notNull().default(1),
  },
  (t) => [index('idx_title_views_title').on(t.titleId), index('idx_title_views_viewed_at').on(t.viewedAt)],
);

/** Views per title in the engagement window: added to by each flush, recomputed by the cleanup. */
export const titleEngagement = sqliteTable(
  'title_engagement',
  {
    titleId: integer('title_id')
      .primaryKey()
      .references(() => titles.id, { onDelete: 'cascade' }),
    views: integer('views').notNull(),
  },
  (t) => [index('idx_title_engagement_views').on(sql`${t.views} DESC`, t.titleId)],
);

export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: updatedAt(),
});

export const syncJobs = sqliteTable(
  'sync_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    startedAt: text('started_at').notNull().default(nowIso),
    finishedAt: text('finished_at'),
    stats: text('stats'),
    error: text('error'),
  },
  (t) => [
    check('sync_jobs_status_check', sql`${t.status} IN ('running', 'succeeded', 'failed', 'cancelled', 'skipped')`),
    index('idx_sync_jobs_kind_started').on(t.kind, t.startedAt),
  ],
);
