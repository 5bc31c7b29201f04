import { type SQL, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../db/errors.ts';
import { forgetImdbBaseline } from '../db/imdb-baseline.ts';
import type { SqlRunner } from '../db/sql-runner.ts';
import { conflict } from '../http/errors.ts';

export interface EpisodeRecord {
  episode_id: number;
  season_id: number;
  episode_number: number;
  imdb_id: string | null;
  display_name: string | null;
  image_url: string | null;
  air_date: string | null;
  runtime_minutes: number | null;
  synopsis: string | null;
}

export interface EpisodeFields {
  episode_number?: number;
  imdb_id?: string | null;
  display_name?: string | null;
  synopsis?: string | null;
  image_url?: string | null;
  air_date?: string | null;
  runtime_minutes?: number | null;
}

export interface EpisodesRepository {
  /** Episodes of every season of a show, in season then episode order: one query. */
  listByShow(showId: number): Promise<EpisodeRecord[]>;
  /** null when the season does not exist. */
  listBySeason(seasonId: number): Promise<EpisodeRecord[] | null>;
  findById(id: number): Promise<EpisodeRecord | null>;
  /** null when the season does not exist. */
  create(seasonId: number, fields: EpisodeFields & { episode_number: number }): Promise<EpisodeRecord | null>;
  update(id: number, fields: EpisodeFields): Promise<EpisodeRecord | null>;
  delete(id: number): Promise<boolean>;
}

const EPISODE_SELECT = sql.raw(`
  SELECT e.id AS episode_id, e.season_id, e.episode AS episode_number, e.imdb_id, e.display_name,
         e.image_url, e.air_date, e.runtime_minutes, e.synopsis
  FROM show_episodes e`);

// API field → column; the API says episode_number where the table says episode.
const COLUMNS: Record<keyof EpisodeFields, string> = {
  episode_number: 'episode',
  imdb_id: 'imdb_id',
  display_name: 'display_name',
  synopsis: 'synopsis',
  image_url: 'image_url',
  air_date: 'air_date',
  runtime_minutes: 'runtime_minutes',
};

function duplicate(error: unknown, fields: EpisodeFields): never {
  if (!isUniqueViolation(error)) throw error;
  const detail = String((error as Error).message ?? '') + String((error as { constraint?: string }).constraint ?? '');
  if (/imdb_id/.test(detail))
    throw conflict('episodes.imdb_id_taken', `an episode with imdb_id ${fields.imdb_id} exists`);
  throw conflict('episodes.number_taken', `episode ${fields.episode_number} already exists in this season`);
}

export function createEpisodesRepository({ sql: db }: { sql: SqlRunner }): EpisodesRepository {
  const findWhere = (condition: SQL) =>
    db.all<EpisodeRecord>(sql`${EPISODE_SELECT} WHERE ${condition} ORDER BY e.episode, e.id`);
  const findById = async (id: number) => (await findWhere(sql`e.id = ${id}`))[0] ?? null;
  const seasonExists = async (seasonId: number) =>
    (await db.get(sql`SELECT 1 AS found FROM show_seasons WHERE id = ${seasonId}`)) !== undefined;

  return {
    listByShow: (showId) =>
      db.all<EpisodeRecord>(sql`${EPISODE_SELECT} JOIN show_seasons ss ON ss.id = e.season_id
        WHERE ss.show_id = ${showId} ORDER BY ss.season, e.episode, e.id`),

    async listBySeason(seasonId) {
      const episodes = await findWhere(sql`e.season_id = ${seasonId}`);
      return episodes.length > 0 || (await seasonExists(seasonId)) ? episodes : null;
    },

    findById,

    async create(seasonId, fields) {
      if (!(await seasonExists(seasonId))) return null;
      const columns = Object.keys(fields).filter((k): k is keyof EpisodeFields => k in COLUMNS);
      try {
        const row = await db.get<{ id: number }>(sql`
          INSERT INTO show_episodes (season_id, ${sql.join(
            columns.map((k) => sql.identifier(COLUMNS[k])),
            sql`, `,
          )})
          VALUES (${seasonId}, ${sql.join(
            columns.map((k) => sql`${fields[k] ?? null}`),
            sql`, `,
          )})
          RETURNING id`);
        await db.run(forgetImdbBaseline);
        return findById(row?.id as number);
      } catch (error) {
        duplicate(error, fields);
      }
    },

    async update(id, fields) {
      const columns = Object.keys(fields).filter((k): k is keyof EpisodeFields => k in COLUMNS);
      if (columns.length === 0) return findById(id);
      const sets = columns.map((k) => sql`${sql.identifier(COLUMNS[k])} = ${fields[k] ?? null}`);
      try {
        const count = await db.run(sql`UPDATE show_episodes SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
        if (count > 0) await db.run(forgetImdbBaseline);
        return count > 0 ? findById(id) : null;
      } catch (error) {
        duplicate(error, fields);
      }
    },

    async delete(id) {
      const deleted = (await db.run(sql`DELETE FROM show_episodes WHERE id = ${id}`)) > 0;
      if (deleted) await db.run(forgetImdbBaseline);
      return deleted;
    },
  };
}
