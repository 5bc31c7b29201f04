import { sql } from 'drizzle-orm';
import { isUniqueViolation } from '../db/errors.ts';
import { forgetImdbBaseline } from '../db/imdb-baseline.ts';
import type { SqlRunner } from '../db/sql-runner.ts';
import { conflict } from '../http/errors.ts';

export interface SeasonRow {
  season_id: number;
  show_id: number;
  season_number: number;
}

/** What deciding whether a season is finished needs to know about its show. */
export interface SeriesProgress {
  end_year: number | null;
  max_season: number | null;
}

export interface SeasonsRepository {
  /** A show's seasons in number order, without checking the show exists. */
  rowsByShow(showId: number): Promise<SeasonRow[]>;
  /** null when the show does not exist. */
  listByShow(showId: number): Promise<{ seasons: SeasonRow[]; series: SeriesProgress } | null>;
  findById(id: number): Promise<{ season: SeasonRow; series: SeriesProgress } | null>;
  /** null when the show does not exist. */
  create(showId: number, seasonNumber: number): Promise<SeasonRow | null>;
  update(id: number, seasonNumber: number): Promise<SeasonRow | null>;
  delete(id: number): Promise<boolean>;
}

const SERIES_PROGRESS = sql.raw(`
  SELECT t.end_year, (SELECT max(season) FROM show_seasons WHERE show_id = sh.id) AS max_season
  FROM shows sh JOIN titles t ON t.id = sh.title_id`);

const numberTaken = (seasonNumber: number) =>
  conflict('seasons.number_taken', `season ${seasonNumber} already exists for this show`);

export function createSeasonsRepository({ sql: db }: { sql: SqlRunner }): SeasonsRepository {
  const seriesOf = async (showId: number) => db.get<SeriesProgress>(sql`${SERIES_PROGRESS} WHERE sh.id = ${showId}`);
  const seasonById = (id: number) =>
    db.get<SeasonRow>(sql`SELECT id AS season_id, show_id, season AS season_number FROM show_seasons WHERE id = ${id}`);

  const rowsByShow = (showId: number) =>
    db.all<SeasonRow>(sql`
      SELECT id AS season_id, show_id, season AS season_number FROM show_seasons
      WHERE show_id = ${showId} ORDER BY season`);

  return {
    rowsByShow,

    async listByShow(showId) {
      const series = await seriesOf(showId);
      return series ? { seasons: await rowsByShow(showId), series } : null;
    },

    async findById(id) {
      const season = await seasonById(id);
      if (!season) return null;
      return { season, series: (await seriesOf(season.show_id)) as SeriesProgress };
    },

    async create(showId, seasonNumber) {
      if (!(await seriesOf(showId))) return null;
      try {
        const row = await db.get<{ id: number }>(
          sql`INSERT INTO show_seasons (show_id, season) VALUES (${showId}, ${seasonNumber}) RETURNING id`,
        );
        await db.run(forgetImdbBaseline);
        return (await seasonById(row?.id as number)) ?? null;
      } catch (error) {
        if (isUniqueViolation(error)) throw numberTaken(seasonNumber);
        throw error;
      }
    },

    async update(id, seasonNumber) {
      try {
        const count = await db.run(sql`UPDATE show_seasons SET season = ${seasonNumber} WHERE id = ${id}`);
        if (count > 0) await db.run(forgetImdbBaseline);
        return count > 0 ? ((await seasonById(id)) ?? null) : null;
      } catch (error) {
        if (isUniqueViolation(error)) throw numberTaken(seasonNumber);
        throw error;
      }
    },

    async delete(id) {
      const deleted = (await db.run(sql`DELETE FROM show_seasons WHERE id = ${id}`)) > 0;
      if (deleted) await db.run(forgetImdbBaseline);
      return deleted;
    },
  };
}
