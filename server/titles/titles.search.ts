/**
 * Title search, the same on both dialects: cached match counts give the total, the language
 * facet and each rank tier's size; search-plan.ts turns those into at most three slice
 * queries. Only how a key is matched comes from the dialect (titles.pg.ts, titles.sqlite.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';
import type { MatchCountCache } from './match-counts.ts';
import { type SearchMode, searchKey, searchMode } from './search-key.ts';
import { planPage, type TierSlice } from './search-plan.ts';
import type { LanguageCount, TitleRecord, TitleSearch, TitleSearchPage, TitleType } from './titles.repository.ts';

/** How one dialect matches a search key against titles.search_name. */
export interface TitleMatching {
  /** Conditions its search indexes serve: the name contains / starts with the key. */
  contains(key: string): SQL;
  startsWith(key: string): SQL;
  /** The same tests as plain row checks, for walking titles in votes order. */
  containsCheck(key: string): SQL;
  startsWithCheck(key: string): SQL;
  /** `titles t` read in votes order through idx_titles_num_votes, for walks. */
  titlesByVotes: SQL;
  /** `titles t` read through idx_titles_search_name, for exact and prefix lookups. */
  titlesByName: SQL;
  /** `titles t` read by the ids the contains() condition yields. */
  titlesByMatch: SQL;
  /** Votes order exactly as idx_titles_num_votes sorts, so walks need no sort. */
  votesOrder: SQL;
}

/** Matches of one query per original language: all, starting with the key, equal to it. */
export interface LanguageMatches {
  code: string | null;
  count: number;
  prefix: number;
  exact: number;
}

type TitleRow = Omit<TitleRecord, 'genres'>;

export const TITLE_COLUMNS = sql.raw(`t.id AS title_id, t.type, t.display_name, t.start_year, t.end_year, t.imdb_id,
  t.image_url, t.tmdb_id, t.num_votes, t.average_rating, t.original_title, t.original_language, t.release_date,
  t.tmdb_popularity, t.runtime_minutes, t.origin_country, t.needs_backfill_tmdb, t.episodes_checked_at,
  t.created_at, t.updated_at, m.id AS movie_id, s.id AS show_id`);
export const KIND_JOINS = sql.raw('LEFT JOIN movies m ON m.title_id = t.id LEFT JOIN shows s ON s.title_id = t.id');

// SQLite hands back 0/1 for booleans; everything else already has the API's shape.
export const fromRow = (row: TitleRow): TitleRow => ({ ...row, needs_backfill_tmdb: Boolean(row.needs_backfill_tmdb) });

const sum = (groups: LanguageMatches[], field: 'count' | 'prefix' | 'exact') =>
  groups.reduce((total, g) => total + g[field], 0);

export function createTitleSearch(deps: {
  sql: SqlRunner;
  matching: TitleMatching;
  counts: MatchCountCache<LanguageMatches[]>;
}) {
  const { sql: db, matching, counts } = deps;

  const matchCounts = (key: string, mode: SearchMode | null, type: TitleType | undefined) =>
    counts.get(JSON.stringify([key, type ?? null]), async () => {
      const where: SQL[] = [];
      if (mode) where.push(mode === 'substring' ? matching.contains(key) : matching.startsWith(key));
      if (type) where.push(sql`t.type = ${type}`);
      // A prefix is a range of the name index, which also carries the language: counting
      // reads that range only (SQLite would otherwise scan the language index whole).
      const tally = (condition: SQL) => (mode ? sql`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)` : sql`0`);
      const rows = await db.all<LanguageMatches>(sql`
        SELECT t.original_language AS code, count(*) AS count,
               ${tally(matching.startsWithCheck(key))} AS prefix, ${tally(sql`t.search_name = ${key}`)} AS exact
        FROM ${mode === 'prefix' ? matching.titlesByName : sql`titles t`}
        ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        GROUP BY t.original_language`);
      return rows.map((r) => ({
        code: r.code,
        count: Number(r.count),
        prefix: Number(r.prefix),
        exact: Number(r.exact),
      }));
    });

  /** The condition selecting one tier, as an index lookup or as a row check for a walk. */
  const tierCondition = (key: string, mode: SearchMode | null, slice: TierSlice): SQL | null => {
    if (!mode) return null;
    const walk = slice.strategy === 'walk';
    if (slice.tier === 0) return sql`t.search_name = ${key}`;
    const startsWith = walk ? matching.startsWithCheck(key) : matching.startsWith(key);
    if (slice.tier === 1) return sql`${startsWith} AND t.search_name <> ${key}`;
    const contains = walk ? matching.containsCheck(key) : matching.contains(key);
    return sql`${contains} AND NOT (${matching.startsWithCheck(key)})`;
  };

  const sliceFrom = (slice: TierSlice, mode: SearchMode | null) => {
    if (slice.strategy === 'walk') return matching.titlesByVotes;
    if (!mode) return sql`titles t`;
    return slice.tier === 2 ? matching.titlesByMatch : matching.titlesByName;
  };

  /** Each slice picks ids on covering indexes; one outer query reads those rows in order. */
  const readSlices = (slices: { slice: TierSlice; from: SQL; where: SQL[] }[]) => {
    const picks = slices.map(
      ({ slice, from, where }, i) => sql`SELECT * FROM (
        SELECT t.id, ${sql.raw(String(slice.tier))} AS tier FROM ${from}
        ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        ORDER BY ${matching.votesOrder} LIMIT ${slice.limit} OFFSET ${slice.offset}) ${sql.raw(`slice${i}`)}`,
    );
    return db.all<TitleRow>(sql`
      SELECT ${TITLE_COLUMNS} FROM (${sql.join(picks, sql` UNION ALL `)}) picked
      JOIN titles t ON t.id = picked.id ${KIND_JOINS}
      ORDER BY picked.tier, ${matching.votesOrder}`);
  };

  return {
    async search({ q, type, lang, limit, offset }: TitleSearch): Promise<TitleSearchPage> {
      const key = searchKey(q ?? '');
      const mode = key ? searchMode(key) : null;
      const groups = await matchCounts(key, mode, type);
      const selected = lang === undefined ? groups : groups.filter((g) => g.code === lang);
      const total = sum(selected, 'count');
      const languages: LanguageCount[] = groups
        .filter((g) => g.code)
        .map((g) => ({ code: g.code as string, count: g.count }))
        .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
      if (offset >= total) return { titles: [], total, languages };

      const prefix = sum(selected, 'prefix');
      const exact = sum(selected, 'exact');
      const size = await db.get<{ n: number | null }>(sql`SELECT max(id) AS n FROM titles`);
      const plan = planPage({
        tierCounts: mode ? [exact, prefix - exact, total - prefix] : [0, 0, total],
        offset,
        limit,
        catalogueSize: Number(size?.n ?? 0),
      });
      const filters = [
        ...(type ? [sql`t.type = ${type}`] : []),
        ...(lang !== undefined ? [sql`t.original_language = ${lang}`] : []),
      ];
      const titles = await readSlices(
        plan.map((slice) => {
          const condition = tierCondition(key, mode, slice);
          return { slice, from: sliceFrom(slice, mode), where: condition ? [condition, ...filters] : filters };
        }),
      );
      return { titles: titles.map(fromRow), total, languages };
    },
    /** Forgets cached counts: every title write calls this. */
    invalidate: () => counts.clear(),
  };
}
