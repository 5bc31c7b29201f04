import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';

export interface GenreSummary {
  name: string;
  is_custom: boolean;
  title_count: number;
}

export interface GenresRepository {
  /** Genre names per title id, sorted by name; one query whatever the number of ids. */
  forTitles(titleIds: number[]): Promise<Map<number, string[]>>;
  list(): Promise<GenreSummary[]>;
  /**
   * Makes `names` the title's genres. Names not known yet are created as custom genres:
   * IMDb's own genres arrive through the import, so anything else is the owner's.
   */
  replaceForTitle(tx: SqlRunner, titleId: number, names: string[]): Promise<void>;
}

export function createGenresRepository({ sql: db }: { sql: SqlRunner }): GenresRepository {
  return {
    async forTitles(titleIds) {
      const byTitle = new Map<number, string[]>(titleIds.map((id) => [id, []]));
      if (titleIds.length === 0) return byTitle;
      const rows = await db.all<{ title_id: number; name: string }>(sql`
        SELECT tg.title_id, g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
        WHERE tg.title_id IN (${sql.join(titleIds, sql`, `)})
        ORDER BY tg.title_id, g.name`);
      for (const row of rows) byTitle.get(row.title_id)?.push(row.name);
      return byTitle;
    },

    async list() {
      const rows = await db.all<GenreSummary>(sql`
        SELECT g.name, g.is_custom, count(tg.title_id) AS title_count
        FROM genres g LEFT JOIN title_genres tg ON tg.genre_id = g.id
        GROUP BY g.id, g.name, g.is_custom ORDER BY g.name`);
      return rows.map((row) => ({ ...row, is_custom: Boolean(row.is_custom), title_count: Number(row.title_count) }));
    },

    async replaceForTitle(tx, titleId, names) {
      const unique = [...new Set(names)];
      await tx.run(sql`DELETE FROM title_genres WHERE title_id = ${titleId}`);
      if (unique.length === 0) return;
      const values = sql.join(
        unique.map((name) => sql`(${name}, ${true})`),
        sql`, `,
      );
      await tx.run(sql`INSERT INTO genres (name, is_custom) VALUES ${values} ON CONFLICT (name) DO NOTHING`);
      await tx.run(sql`
        INSERT INTO title_genres (title_id, genre_id)
        SELECT CAST(${titleId} AS integer), id FROM genres WHERE name IN (${sql.join(unique, sql`, `)})`);
    },
  };
}
