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
  // Views in the engagement window (title_engagement, kept by server/engagement/).
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

type TitleRow = Omit<DiscoverTitleRecord, 'genres'>;

export function discoverConditions(f: DiscoverFilter): SQL[] {
  const where: SQL[] = [];
  if (f.type) where.push(sql`t.type = ${f.type}`);
  if (f.lang) where.push(sql`t.original_language = ${f.lang}`);
  if (f.country) where.push(sql`t.origin_country = ${f.country}`);
  if (f.year_min !== undefined) where.push(sql`t.start_year >= ${f.year_min}`);
  if (f.rating_min !== undefined) where.push(sql`t.average_rating >= ${f.rating_min}`);
  if (f.min_votes !== undefined) where.push(sql`t.num_votes >= ${f.min_votes}`);
  if (f.genre) {
    where.push(sql`EXISTS (SELECT 1 FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
      WHERE tg.title_id = t.id AND lower(g.name) = lower(${f.genre}))`);
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

const whereClause = (where: SQL[]) => (where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``);

/**
 * `counts` keeps each filter's total for a minute (see match-counts.ts): paging through a
 * filter then counts the catalogue once, not on every page.
 */
export function createDiscoverRepository(deps: { sql: SqlRunner; counts?: MatchCountCache<number> }) {
  const { sql: db, counts = createMatchCountCache<number>() } = deps;
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

  return {
    /** Forgets cached totals, e.g. once a sync has changed the catalogue. */
    invalidate: () => counts.clear(),

    /** One page of matches and how many match in all. */
    async find(filter: DiscoverFilter, limit: number, offset: number): Promise<DiscoverPage> {
      const where = whereClause(discoverConditions(filter));
      const total = await counts.get(JSON.stringify(filter), async () => {
        const counted = await db.get<{ total: number }>(sql`SELECT count(*) AS total FROM titles t ${where}`);
        return Number(counted?.total ?? 0);
      });
      if (offset >= total) return { titles: [], total };
      const rows = await db.all<TitleRow>(sql`
        SELECT ${COLUMNS} FROM titles t ${KIND_JOINS} ${ENGAGEMENT_JOIN} ${where}
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
