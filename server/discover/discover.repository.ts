/**
 * Discover: titles filtered and ranked by one of the original's sorts. The SQL is the same
 * on both dialects (NULLS LAST is spelled out, since PostgreSQL puts NULLs first in DESC).
 * Every order ends with t.id, so pages never overlap or skip a title.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';
import { createMatchCountCache, type MatchCountCache } from '../titles/match-counts.ts';
import type { TitleType } from '../titles/titles.repository.ts';
import { KIND_JOINS } from '../titles/titles.search.ts';
import type { DiscoverSort } from './discover.schemas.ts';

export interface DiscoverFilter {
  genre?: string;
  type?: TitleType;
  lang?: string;
  country?: string;
  year_min?: number;
  rating_min?: number;
  min_votes?: number;
  /** Only titles with a real poster (not null, not one of the original's "none" sentinels). */
  has_image?: boolean;
  sort: DiscoverSort;
}

export interface DiscoverTitleRecord {
  title_id: number;
  type: TitleType;
  display_name: string;
  start_year: number | null;
  image_url: string | null;
  movie_id: number | null;
  show_id: number | null;
  average_rating: number | null;
  num_votes: number | null;
  tmdb_popularity: number | null;
  genres: string[];
  /** Views in the engagement window (title_engagement.views; 0 when none). */
  engagement_count: number;
}

export interface DiscoverPage {
  titles: DiscoverTitleRecord[];
  total: number;
}

// Below this many votes a rating says little: top_rated skips such titles unless asked.
const TOP_RATED_MIN_VOTES = 1000;

const ORDERS: Record<DiscoverSort, SQL> = {
  most_rated: sql`t.num_votes DESC NULLS LAST, t.id`,
  trending: sql`t.tmdb_popularity DESC NULLS LAST, t.id`,
  // Views in the engagement window (title_engagement, kept by server/engagement/). find()
  // reads this order in two parts (findPopular), which must give exactly this order.
  popular: sql`te.views DESC NULLS LAST, t.id`,
  top_rated: sql`t.average_rating DESC NULLS LAST, t.num_votes DESC NULLS LAST, t.id`,
  newest: sql`t.start_year DESC NULLS LAST, t.release_date DESC NULLS LAST, t.id`,
  hidden_gems: sql`t.average_rating DESC NULLS LAST, t.num_votes DESC NULLS LAST, t.id`,
  'a-z': sql`t.display_name, t.id`,
};

const COLUMNS = sql.raw(`t.id AS title_id, t.type, t.display_name, t.start_year, t.image_url,
  m.id AS movie_id, s.id AS show_id, t.average_rating, t.num_votes, t.tmdb_popularity,
  COALESCE(te.views, 0) AS engagement_count`);

const ENGAGEMENT_JOIN = sql.raw('LEFT JOIN title_engagement te ON te.title_id = t.id');

// The unengaged part of sort=popular: no title_engagement row, so no views.
const UNENGAGED_COLUMNS = sql.raw(`t.id AS title_id, t.type, t.display_name, t.start_year, t.image_url,
  m.id AS movie_id, s.id AS show_id, t.average_rating, t.num_votes, t.tmdb_popularity,
  0 AS engagement_count`);

type TitleRow = Omit<DiscoverTitleRecord, 'genres'>;

/** The genres named by a filter's genre (case-insensitively), resolved before the query. */
export interface ResolvedGenre {
  ids: number[];
  /** At most RARE_GENRE_TITLES title_genres rows: cheaper to start from than to probe for. */
  rare: boolean;
}

/**
 * A genre is rare (its matches read from idx_title_genres_genre and sorted) when it has at
 * most this many titles; on SQLite also at most one title in RARE_GENRE_SHARE of the
 * catalogue. (bench:api at 1M titles, Western + has_image by trending, 14k genre rows:
 * SQLite 122 ms probing vs 46 ms read as rare; PostgreSQL 79 ms probing vs 122 ms.)
 */
export const RARE_GENRE_TITLES = 10_000;
const RARE_GENRE_SHARE = 50;

/**
 * Genres are matched by id (resolved beforehand), never by joining genres: PostgreSQL can
 * then estimate from title_genres' statistics how many titles match. SQLite cannot tell a
 * rare genre from a common one, so the form decides its plan: a rare genre is an IN list
 * (read from idx_title_genres_genre, then sorted; on PostgreSQL an array computed once),
 * a common one an EXISTS probe of the primary key while walking the sort's index.
 */
/**
 * How a SQLite page reads a filter of many matches. SQLite has no statistics to tell a
 * value matching half the catalogue from one matching fifty titles, so for any type,
 * language or country it takes that column's index and then sorts every match (1.3–2.7 s
 * at 1M titles for type=show&sort=newest). When the count says the filter matches many
 * titles, walking the sort's own index and checking each row stops after a few pages'
 * worth: the unary + keeps SQLite off the filter's index. A filter of few matches keeps
 * its index (the sort is then small). most_rated keeps the type and language indexes at
 * any size, since (type, num_votes) and (original_language, num_votes) are its order.
 */
export const WALK_SORT_INDEX_ABOVE = 5000;

function equals(column: 'type' | 'original_language' | 'origin_country', value: string, walk: boolean, sort: string) {
  const keepIndex = sort === 'most_rated' && column !== 'origin_country';
  return walk && !keepIndex ? sql`+${sql.raw(`t.${column}`)} = ${value}` : sql`${sql.raw(`t.${column}`)} = ${value}`;
}

export function discoverConditions(
  f: DiscoverFilter,
  genre: ResolvedGenre = { ids: [], rare: true },
  dialect: SqlRunner['dialect'] = 'sqlite',
  /** A SQLite page of many matches (see WALK_SORT_INDEX_ABOVE); counts never walk. */
  walkSortIndex = false,
): SQL[] {
  const where: SQL[] = [];
  const walk = walkSortIndex && dialect === 'sqlite';
  if (f.type) where.push(equals('type', f.type, walk, f.sort));
  if (f.lang) where.push(equals('original_language', f.lang, walk, f.sort));
  if (f.country) where.push(equals('origin_country', f.country, walk, f.sort));
  if (f.year_min !== undefined) where.push(sql`t.start_year >= ${f.year_min}`);
  if (f.rating_min !== undefined) where.push(sql`t.average_rating >= ${f.rating_min}`);
  if (f.min_votes !== undefined) where.push(sql`t.num_votes >= ${f.min_votes}`);
  if (f.genre) {
    const ids = genre.ids.length > 0 ? genre.ids : [0]; // no genre has id 0: matches nothing
    const matching = genreIdIn(ids);
    const rareIds = sql`SELECT title_id FROM title_genres WHERE ${matching}`;
    where.push(
      !genre.rare
        ? sql`EXISTS (SELECT 1 FROM title_genres tg WHERE tg.title_id = t.id AND tg.${matching})`
        : dialect === 'pg'
          ? // An array computed once, then primary-key lookups: as a semi-join PostgreSQL
            // misjudges the other filters (has_image) and hashes a scan of every title.
            sql`t.id = ANY(ARRAY(${rareIds}))`
          : sql`t.id IN (${rareIds})`,
    );
  }
  if (f.has_image) {
    where.push(sql`t.image_url IS NOT NULL AND t.image_url NOT IN ('none', 'TMDB_NOT_FOUND_DO_NOT_RETRY')`);
  }
  if (f.sort === 'top_rated' && f.min_votes === undefined && f.rating_min === undefined) {
    where.push(sql`t.num_votes >= ${TOP_RATED_MIN_VOTES}`);
  }
  if (f.sort === 'hidden_gems') {
    where.push(sql`t.average_rating >= 7.5 AND t.num_votes > 100 AND t.num_votes < 10000`);
  }
  return where;
}

const genreIdIn = (ids: number[]) =>
  ids.length === 1
    ? sql`genre_id = ${ids[0]}`
    : sql`genre_id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`;

const whereClause = (where: SQL[]) => (where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``);

/**
 * `counts` keeps each filter's total for a minute (see match-counts.ts): paging through a
 * filter then counts the catalogue once, not on every page.
 */
export function createDiscoverRepository(deps: {
  sql: SqlRunner;
  counts?: MatchCountCache<number>;
  /** RARE_GENRE_TITLES unless told (tests try both forms of the genre filter). */
  rareGenreTitles?: number;
  /** Matches above which a SQLite page walks its sort's index; tests lower it. */
  walkSortIndexAbove?: number;
}) {
  const {
    sql: db,
    counts = createMatchCountCache<number>(),
    rareGenreTitles = RARE_GENRE_TITLES,
    walkSortIndexAbove = WALK_SORT_INDEX_ABOVE,
  } = deps;
  // Genre name (lowercased) → ids and rarity, for a minute; genres is a small table that
  // rarely changes. Only names that exist are remembered, so a genre created meanwhile is
  // found at once.
  const knownGenres = new Map<string, { genre: ResolvedGenre; expires: number }>();
  const resolveGenre = async (name: string): Promise<ResolvedGenre> => {
    const key = name.toLowerCase();
    const hit = knownGenres.get(key);
    if (hit && hit.expires > Date.now()) return hit.genre;
    const rows = await db.all<{ id: number }>(sql`SELECT id FROM genres WHERE lower(name) = lower(${name})`);
    const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    if (ids.length === 0) return { ids, rare: true };
    // max(id) sizes the catalogue from the primary key; counting stops past the threshold,
    // so a common genre costs no more than a rare one.
    let threshold = rareGenreTitles;
    if (db.dialect === 'sqlite') {
      const newest = await db.get<{ n: number | null }>(sql`SELECT max(id) AS n FROM titles`);
      threshold = Math.max(threshold, Math.floor(Number(newest?.n ?? 0) / RARE_GENRE_SHARE));
    }
    const counted = await db.get<{ n: number }>(sql`
      SELECT count(*) AS n FROM (SELECT 1 FROM title_genres WHERE ${genreIdIn(ids)} LIMIT ${threshold + 1}) x`);
    const genre = { ids, rare: Number(counted?.n ?? 0) <= threshold };
    if (knownGenres.size >= 500) knownGenres.clear();
    knownGenres.set(key, { genre, expires: Date.now() + 60_000 });
    return genre;
  };
  /** Adds each title's genre names (one query for the whole page). */
  const withGenres = async (rows: TitleRow[]): Promise<DiscoverTitleRecord[]> => {
    if (rows.length === 0) return [];
    const ids = sql.join(
      rows.map((r) => sql`${r.title_id}`),
      sql`, `,
    );
    const links = await db.all<{ title_id: number; name: string }>(sql`
      SELECT tg.title_id, g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
      WHERE tg.title_id IN (${ids}) ORDER BY g.name`);
    const byTitle = new Map<number, string[]>();
    for (const link of links) byTitle.set(link.title_id, [...(byTitle.get(link.title_id) ?? []), link.name]);
    return rows.map((r) => ({
      ...r,
      genres: byTitle.get(r.title_id) ?? [],
      engagement_count: Number(r.engagement_count),
    }));
  };

  /**
   * sort=popular (`te.views DESC NULLS LAST, t.id` over a LEFT JOIN) in two parts, so that
   * neither sorts the whole catalogue: first the engaged matches (title_engagement holds only
   * titles viewed in the window, views NOT NULL) by views then id, read from
   * idx_title_engagement_views; then every other match by id (views NULL, all tied), read
   * from the primary key. A page past the engaged part needs their count to know where the
   * second part starts.
   */
  const findPopular = async (conditions: SQL[], limit: number, offset: number): Promise<TitleRow[]> => {
    // CROSS JOIN keeps SQLite from scanning titles first (it never reorders one; PostgreSQL
    // treats it as the inner join it is): title_engagement is the small side.
    const engagedWhere = whereClause([sql`t.id = te.title_id`, ...conditions]);
    const engaged = await db.all<TitleRow>(sql`
      SELECT ${COLUMNS} FROM title_engagement te CROSS JOIN titles t ${KIND_JOINS} ${engagedWhere}
      ORDER BY te.views DESC NULLS LAST, te.title_id LIMIT ${limit} OFFSET ${offset}`);
    if (engaged.length === limit) return engaged;
    // Fewer than a page: the engaged part ends in this page (at offset + engaged.length),
    // or, when it gave nothing, at or before offset, where only its count tells.
    let engagedCount = offset + engaged.length;
    if (engaged.length === 0 && offset > 0) {
      const counted = await db.get<{ n: number }>(sql`
        SELECT count(*) AS n FROM title_engagement te CROSS JOIN titles t ${engagedWhere}`);
      engagedCount = Number(counted?.n ?? 0);
    }
    const unengagedWhere = whereClause([
      ...conditions,
      sql`NOT EXISTS (SELECT 1 FROM title_engagement te WHERE te.title_id = t.id)`,
    ]);
    const rest = await db.all<TitleRow>(sql`
      SELECT ${UNENGAGED_COLUMNS} FROM titles t ${KIND_JOINS} ${unengagedWhere}
      ORDER BY t.id LIMIT ${limit - engaged.length} OFFSET ${Math.max(0, offset - engagedCount)}`);
    return [...engaged, ...rest];
  };

  return {
    /** Forgets cached totals, e.g. once a sync has changed the catalogue. */
    invalidate: () => {
      counts.clear();
      knownGenres.clear();
    },

    /** One page of matches and how many match in all. */
    async find(filter: DiscoverFilter, limit: number, offset: number): Promise<DiscoverPage> {
      const genre = filter.genre ? await resolveGenre(filter.genre) : undefined;
      // An unknown genre matches nothing: answer without counting the catalogue.
      if (genre && genre.ids.length === 0) return { titles: [], total: 0 };
      const conditions = discoverConditions(filter, genre, db.dialect);
      const where = whereClause(conditions);
      const total = await counts.get(JSON.stringify(filter), async () => {
        const counted = await db.get<{ total: number }>(sql`SELECT count(*) AS total FROM titles t ${where}`);
        return Number(counted?.total ?? 0);
      });
      if (offset >= total) return { titles: [], total };
      const page = discoverConditions(filter, genre, db.dialect, total > walkSortIndexAbove);
      if (filter.sort === 'popular') {
        return { titles: await withGenres(await findPopular(page, limit, offset)), total };
      }
      const pageWhere = whereClause(page);
      const rows = await db.all<TitleRow>(sql`
        SELECT ${COLUMNS} FROM titles t ${KIND_JOINS} ${ENGAGEMENT_JOIN} ${pageWhere}
        ORDER BY ${ORDERS[filter.sort]} LIMIT ${limit} OFFSET ${offset}`);
      return { titles: await withGenres(rows), total };
    },

    /** The titles a static or llm collection lists, in its order. */
    async findRanked(collectionId: number): Promise<DiscoverTitleRecord[]> {
      const rows = await db.all<TitleRow>(sql`
        SELECT ${COLUMNS} FROM collection_titles ct JOIN titles t ON t.id = ct.title_id ${KIND_JOINS} ${ENGAGEMENT_JOIN}
        WHERE ct.collection_id = ${collectionId} ORDER BY ct.rank, t.id`);
      return withGenres(rows);
    },
  };
}

export type DiscoverRepository = ReturnType<typeof createDiscoverRepository>;
