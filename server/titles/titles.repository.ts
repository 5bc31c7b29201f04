/**
 * Titles: the rows behind every movie and show. The SQL here is shared by both dialects;
 * only how a search key matches and ranks differs (titles.pg.ts, titles.sqlite.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../db/errors.ts';
import { forgetImdbBaseline } from '../db/imdb-baseline.ts';
import type { SqlRunner } from '../db/sql-runner.ts';
import type { GenresRepository } from '../genres/genres.repository.ts';
import { conflict } from '../http/errors.ts';
import { createMatchCountCache, type MatchCountCache } from './match-counts.ts';
import { searchKey } from './search-key.ts';
import {
  createTitleSearch,
  fromRow,
  KIND_JOINS,
  type LanguageMatches,
  TITLE_COLUMNS,
  type TitleMatching,
} from './titles.search.ts';

export const TITLE_TYPES = ['movie', 'show'] as const;
export type TitleType = (typeof TITLE_TYPES)[number];

/** A title as stored, snake_case like the API; movie_id or show_id says which kind it is. */
export interface TitleRecord {
  title_id: number;
  type: TitleType;
  display_name: string;
  start_year: number | null;
  end_year: number | null;
  imdb_id: string | null;
  image_url: string | null;
  tmdb_id: number | null;
  num_votes: number | null;
  average_rating: number | null;
  original_title: string | null;
  original_language: string | null;
  release_date: string | null;
  tmdb_popularity: number | null;
  runtime_minutes: number | null;
  origin_country: string | null;
  needs_backfill_tmdb: boolean;
  episodes_checked_at: string | null;
  created_at: string;
  updated_at: string;
  movie_id: number | null;
  show_id: number | null;
  genres: string[];
}

/** The fields an owner may set on a title. */
export interface TitleFields {
  display_name?: string;
  start_year?: number | null;
  end_year?: number | null;
  imdb_id?: string | null;
  image_url?: string | null;
  original_title?: string | null;
  original_language?: string | null;
  release_date?: string | null;
  runtime_minutes?: number | null;
  origin_country?: string | null;
  genres?: string[];
}

export interface NewTitle extends TitleFields {
  type: TitleType;
  display_name: string;
}

export interface TitleSearch {
  /** Free text; empty or absent lists every title. */
  q?: string;
  type?: TitleType;
  lang?: string;
  limit: number;
  offset: number;
}

export interface LanguageCount {
  code: string;
  count: number;
}

export interface TitleSearchPage {
  titles: Omit<TitleRecord, 'genres'>[];
  total: number;
  /** Languages of every match ignoring the lang filter, most titles first. */
  languages: LanguageCount[];
}

export interface TitlesRepository {
  search(query: TitleSearch): Promise<TitleSearchPage>;
  findById(id: number): Promise<TitleRecord | null>;
  /** Titles matching a condition on `t` (titles), `m` (movies) or `s` (shows), with genres. */
  findWhere(condition: SQL): Promise<TitleRecord[]>;
  create(title: NewTitle): Promise<TitleRecord>;
  /** Changes only the fields present in `fields`; null when the title does not exist. */
  update(id: number, fields: TitleFields): Promise<TitleRecord | null>;
  delete(id: number): Promise<boolean>;
}

type TitleRow = Omit<TitleRecord, 'genres'>;

// Columns an owner can write, in the order of TitleFields; genres live in their own table.
const WRITABLE = [
  'display_name',
  'start_year',
  'end_year',
  'imdb_id',
  'image_url',
  'original_title',
  'original_language',
  'release_date',
  'runtime_minutes',
  'origin_country',
] as const;

const imdbIdTaken = (imdbId: string | null | undefined) =>
  conflict('titles.imdb_id_taken', `a title with imdb_id ${imdbId} already exists`);

export function createTitlesRepository(deps: {
  sql: SqlRunner;
  genres: GenresRepository;
  matching: TitleMatching;
  counts?: MatchCountCache<LanguageMatches[]>;
}): TitlesRepository {
  const { sql: db, genres, matching } = deps;
  const titleSearch = createTitleSearch({ sql: db, matching, counts: deps.counts ?? createMatchCountCache() });

  // Titles and their genre names in one round trip: a row per (title, genre).
  const findWhere = async (condition: SQL) => {
    const rows = await db.all<TitleRow & { genre: string | null }>(sql`
      SELECT ${TITLE_COLUMNS}, g.name AS genre FROM titles t ${KIND_JOINS}
      LEFT JOIN title_genres tg ON tg.title_id = t.id LEFT JOIN genres g ON g.id = tg.genre_id
      WHERE ${condition} ORDER BY t.id, g.name`);
    const titles: TitleRecord[] = [];
    for (const { genre, ...row } of rows) {
      const last = titles.at(-1);
      const title = last?.title_id === row.title_id ? last : titles[titles.push({ ...fromRow(row), genres: [] }) - 1];
      if (genre !== null && title) title.genres.push(genre);
    }
    return titles;
  };
  const findById = async (id: number) => (await findWhere(sql`t.id = ${id}`))[0] ?? null;

  return {
    findWhere,
    findById,

    search: titleSearch.search,

    async create(title) {
      const now = new Date().toISOString();
      try {
        const id = await db.transaction(async (tx) => {
          const row = await tx.get<{ id: number }>(sql`
            INSERT INTO titles (type, display_name, search_name, start_year, end_year, imdb_id, image_url,
              original_title, original_language, release_date, runtime_minutes, origin_country, created_at, updated_at)
            VALUES (${title.type}, ${title.display_name}, ${searchKey(title.display_name)}, ${title.start_year ?? null},
              ${title.end_year ?? null}, ${title.imdb_id ?? null}, ${title.image_url ?? null},
              ${title.original_title ?? null}, ${title.original_language ?? null}, ${title.release_date ?? null},
              ${title.runtime_minutes ?? null}, ${title.origin_country ?? null}, ${now}, ${now})
            RETURNING id`);
          const titleId = row?.id as number;
          const kind = title.type === 'movie' ? sql.raw('movies') : sql.raw('shows');
          await tx.run(sql`INSERT INTO ${kind} (title_id) VALUES (${titleId})`);
          if (title.genres) await genres.replaceForTitle(tx, titleId, title.genres);
          if (title.imdb_id) await tx.run(forgetImdbBaseline);
          return titleId;
        });
        titleSearch.invalidate();
        return (await findById(id)) as TitleRecord;
      } catch (error) {
        if (isUniqueViolation(error)) throw imdbIdTaken(title.imdb_id);
        throw error;
      }
    },

    async update(id, fields) {
      const sets: SQL[] = [];
      for (const column of WRITABLE) {
        if (fields[column] !== undefined) sets.push(sql`${sql.identifier(column)} = ${fields[column]}`);
      }
      if (fields.display_name !== undefined) sets.push(sql`search_name = ${searchKey(fields.display_name)}`);
      sets.push(sql`updated_at = ${new Date().toISOString()}`);
      try {
        const changed = await db.transaction(async (tx) => {
          const count = await tx.run(sql`UPDATE titles SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
          if (count > 0 && fields.genres) await genres.replaceForTitle(tx, id, fields.genres);
          if (count > 0) await tx.run(forgetImdbBaseline);
          return count > 0;
        });
        titleSearch.invalidate();
        return changed ? findById(id) : null;
      } catch (error) {
        if (isUniqueViolation(error)) throw imdbIdTaken(fields.imdb_id);
        throw error;
      }
    },

    async delete(id) {
      const deleted = (await db.run(sql`DELETE FROM titles WHERE id = ${id}`)) > 0;
      if (deleted) await db.run(forgetImdbBaseline);
      titleSearch.invalidate();
      return deleted;
    },
  };
}
