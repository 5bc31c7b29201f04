/**
 * Discover: titles filtered and ranked by one of the original's sorts (discover.sorts.ts).
 * The SQL is the same on both dialects but for a few spellings that steer a planner. Every
 * order ends with t.id, so pages never overlap or skip a title.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';
import { createMatchCountCache, type MatchCountCache } from '../titles/match-counts.ts';
import type { TitleType } from '../titles/titles.repository.ts';
import { KIND_JOINS } from '../titles/titles.search.ts';
import {
  createGenreResolver,
  type GenrePageForm,
  genreIdIn,
  genrePageForm,
  genreTitleIds,
  genreTitlesInOrder,
  RARE_GENRE_TITLES,
  type ResolvedGenre,
  readWithHashedGenre,
} from './discover.genre.ts';
import type { DiscoverSort } from './discover.schemas.ts';
import { sortColumns, type TitleSort, titleOrder } from './discover.sorts.ts';

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

const COLUMNS = sql.raw(`t.id AS title_id, t.type, t.display_name, t.start_year, t.image_url,
  m.id AS movie_id, s.id AS show_id, t.average_rating, t.num_votes, t.tmdb_popularity,
  COALESCE(te.views, 0) AS engagement_count`);

const ENGAGEMENT_JOIN = sql.raw('LEFT JOIN title_engagement te ON te.title_id = t.id');

// The unengaged part of sort=popular: no title_engagement row, so no views.
const UNENGAGED_COLUMNS = sql.raw(`t.id AS title_id, t.type, t.display_name, t.start_year, t.image_url,
  m.id AS movie_id, s.id AS show_id, t.average_rating, t.num_votes, t.tmdb_popularity,
  0 AS engagement_count`);

type TitleRow = Omit<DiscoverTitleRecord, 'genres'>;

/**
 * Genres are matched by id (resolved beforehand), never by joining genres: PostgreSQL can
 * then estimate from title_genres' statistics how many titles match. SQLite cannot tell a
 * rare genre from a common one, so the form decides its plan (see genrePageForm): a lookup
 * is an IN list (on PostgreSQL an array computed once: as a semi-join it misjudges the other
 * filters, has_image, and hashes a scan of every title), a probe an EXISTS on the primary key
 * while walking the sort's index. A set is no condition here: the page's subquery holds it.
 */
function genreCondition(genre: ResolvedGenre, form: GenrePageForm, dialect: SqlRunner['dialect']): SQL | undefined {
  const ids = genre.ids.length > 0 ? genre.ids : [0]; // no genre has id 0: matches nothing
  if (form === 'set') return undefined;
  if (form === 'probe')
    return sql`EXISTS (SELECT 1 FROM title_genres tg WHERE tg.title_id = t.id AND tg.${genreIdIn(ids)})`;
  return dialect === 'pg' ? sql`t.id = ANY(ARRAY(${genreTitleIds(genre)}))` : sql`t.id IN (${genreTitleIds(genre)})`;
}

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

/**
 * The titles a sort keeps whatever else is asked: top_rated's vote floor (unless min_votes or
 * rating_min is given) and hidden_gems' bounds. Literals, not parameters: the partial indexes
 * idx_titles_top_rated_voted and idx_titles_hidden_gems hold exactly these titles, and
 * neither planner proves a parameter's value implies an index's condition.
 */
export function sortFloor(f: DiscoverFilter): SQL[] {
  if (f.sort === 'top_rated' && f.min_votes === undefined && f.rating_min === undefined) {
    return [sql.raw(`t.num_votes >= ${TOP_RATED_MIN_VOTES}`)];
  }
  if (f.sort === 'hidden_gems')
    return [sql.raw('t.average_rating >= 7.5 AND t.num_votes > 100 AND t.num_votes < 10000')];
  return [];
}

export function discoverConditions(
  f: DiscoverFilter,
  genre?: { genre: ResolvedGenre; form: GenrePageForm },
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
  const matching = f.genre && genre ? genreCondition(genre.genre, genre.form, dialect) : undefined;
  if (matching) where.push(matching);
  if (f.has_image) {
    where.push(sql`t.image_url IS NOT NULL AND t.image_url NOT IN ('none', 'TMDB_NOT_FOUND_DO_NOT_RETRY')`);
  }
  return where;
}

const whereClause = (where: SQL[]) => (where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``);

/**
 * `counts` keeps each filter's total for a minute (see match-counts.ts): paging through a
 * filter then counts the catalogue once, not on every page.
 */
export function createDiscoverRepository(deps: {
  sql: SqlRunner;
  counts?: MatchCountCache<number>;
  /** RARE_GENRE_TITLES unless told (tests try both forms of a count's genre filter). */
  rareGenreTitles?: number;
  /** Matches above which a SQLite page walks its sort's index; tests lower it. */
  walkSortIndexAbove?: number;
  /** How a page reads a genre, instead of the cheapest (tests try every form). */
  genrePageForm?: GenrePageForm;
}) {
  const {
    sql: db,
    counts = createMatchCountCache<number>(),
    rareGenreTitles = RARE_GENRE_TITLES,
    walkSortIndexAbove = WALK_SORT_INDEX_ABOVE,
  } = deps;
  const genres = createGenreResolver(db, rareGenreTitles);
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
  const findPopular = async (
    conditions: { engaged: SQL[]; rest: SQL[] },
    genre: ResolvedGenre | undefined,
    limit: number,
    offset: number,
  ): Promise<TitleRow[]> => {
    // CROSS JOIN keeps SQLite from scanning titles first (it never reorders one; PostgreSQL
    // treats it as the inner join it is): title_engagement is the small side.
    const engagedWhere = whereClause([sql`t.id = te.title_id`, ...conditions.engaged]);
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
    const unengaged = sql`NOT EXISTS (SELECT 1 FROM title_engagement te WHERE te.title_id = t.id)`;
    // With a genre, the rest walks the genre's titles in id order (idx_title_genres_genre is
    // (genre_id, title_id)) and reads each by primary key: no title outside it is read.
    const inOrder = genre && genreTitlesInOrder(genre);
    const rest = await db.all<TitleRow>(
      inOrder
        ? sql`
          SELECT ${UNENGAGED_COLUMNS} FROM ${inOrder.from} CROSS JOIN titles t ${KIND_JOINS}
          ${whereClause([...inOrder.where, sql`t.id = g.title_id`, ...conditions.rest, unengaged])}
          ORDER BY g.title_id LIMIT ${limit - engaged.length} OFFSET ${Math.max(0, offset - engagedCount)}`
        : sql`
          SELECT ${UNENGAGED_COLUMNS} FROM titles t ${KIND_JOINS} ${whereClause([...conditions.rest, unengaged])}
          ORDER BY t.id LIMIT ${limit - engaged.length} OFFSET ${Math.max(0, offset - engagedCount)}`,
    );
    return [...engaged, ...rest];
  };

  /** One page of a sort over titles (every sort but popular). */
  const pageQuery = (
    sort: TitleSort,
    floor: SQL[],
    conditions: SQL[],
    limit: number,
    offset: number,
    genre?: { genre: ResolvedGenre; form: GenrePageForm },
  ): SQL => {
    const order = titleOrder(sort, 't', db.dialect);
    if (genre?.form === 'set') {
      // The sort's index walked in order (index-only: id and the sort's columns) keeping the
      // genre's titles, tested against their ids hashed once; each kept title then read by
      // primary key and the other filters checked (not the sort's floor: the walk has), until
      // the page is full. On PostgreSQL `IS TRUE` keeps the IN a hashed subplan (a semi-join
      // would not keep the order) and OFFSET 0 keeps the subquery whole; SQLite tests the IN
      // list (and its bloom filter) from the index entry, before reading the row.
      const member =
        db.dialect === 'pg'
          ? sql`(t.id IN (${genreTitleIds(genre.genre)})) IS TRUE`
          : sql`+t.id IN (${genreTitleIds(genre.genre)})`;
      const fence = db.dialect === 'pg' ? sql`OFFSET 0` : sql``;
      return sql`
        SELECT ${COLUMNS} FROM (SELECT ${sortColumns(sort, 't')} FROM titles t ${whereClause([member, ...floor])} ORDER BY ${order} ${fence}) g
        CROSS JOIN titles t ${KIND_JOINS} ${ENGAGEMENT_JOIN} ${whereClause([sql`t.id = g.id`, ...conditions])}
        ORDER BY ${titleOrder(sort, 'g', db.dialect)} LIMIT ${limit} OFFSET ${offset}`;
    }
    if (genre?.form === 'lookup') {
      // Every match is read and sorted: sort the ids alone, then read the page's columns and
      // joins for the page's titles only.
      return sql`
        SELECT ${COLUMNS} FROM (SELECT t.id FROM titles t ${whereClause([...conditions, ...floor])} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) page
        JOIN titles t ON t.id = page.id ${KIND_JOINS} ${ENGAGEMENT_JOIN} ORDER BY ${order}`;
    }
    return sql`
      SELECT ${COLUMNS} FROM titles t ${KIND_JOINS} ${ENGAGEMENT_JOIN} ${whereClause([...conditions, ...floor])}
      ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`;
  };

  return {
    /** Forgets cached totals, e.g. once a sync has changed the catalogue. */
    invalidate: () => {
      counts.clear();
      genres.clear();
    },

    /** One page of matches and how many match in all. */
    async find(filter: DiscoverFilter, limit: number, offset: number): Promise<DiscoverPage> {
      const genre = filter.genre ? await genres.resolve(filter.genre) : undefined;
      // An unknown genre matches nothing: answer without counting the catalogue.
      if (genre && genre.ids.length === 0) return { titles: [], total: 0 };
      const counting = genre && { genre, form: genre.rare ? ('lookup' as const) : ('probe' as const) };
      const floor = sortFloor(filter);
      const where = whereClause([...discoverConditions(filter, counting, db.dialect), ...floor]);
      const total = await counts.get(JSON.stringify(filter), async () => {
        const counted = await db.get<{ total: number }>(sql`SELECT count(*) AS total FROM titles t ${where}`);
        return Number(counted?.total ?? 0);
      });
      if (offset >= total) return { titles: [], total };
      const walk = total > walkSortIndexAbove;
      if (filter.sort === 'popular') {
        const engaged = [...discoverConditions(filter, counting, db.dialect, walk), ...floor];
        const rest = genre
          ? [...discoverConditions(filter, { genre, form: 'set' }, db.dialect, walk), ...floor]
          : engaged;
        return { titles: await withGenres(await findPopular({ engaged, rest }, genre, limit, offset)), total };
      }
      let form: GenrePageForm | undefined = deps.genrePageForm;
      if (genre && !form) {
        // The titles a page's walk goes through: the catalogue, or those the sort keeps.
        const universe =
          floor.length === 0
            ? genre.catalogue
            : await counts.get(`floor of ${filter.sort}`, async () =>
                Number((await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM titles t ${whereClause(floor)}`))?.n),
              );
        form = genrePageForm(genre, total, offset + limit, universe, db.dialect);
      }
      const pageGenre = genre && form && { genre, form };
      const page = discoverConditions(filter, pageGenre, db.dialect, walk);
      const query = pageQuery(filter.sort, floor, page, limit, offset, pageGenre);
      const rows = form === 'set' ? await readWithHashedGenre<TitleRow>(db, query) : await db.all<TitleRow>(query);
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
