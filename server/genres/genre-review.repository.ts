/** The data side of the genre review workflow: candidates out, decisions in. */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';
import { type ReviewCandidate, type ReviewDecision, ReviewFileError } from './genre-review.ts';
import type { GenresRepository } from './genres.repository.ts';

export interface ReviewOutcome {
  titles: number;
  assigned: number;
  none: number;
}

export function createGenreReviewRepository({ sql: db, genres }: { sql: SqlRunner; genres: GenresRepository }) {
  const customNames = async () =>
    (await db.all<{ name: string }>(sql`SELECT name FROM genres WHERE is_custom = ${true} ORDER BY name`)).map(
      (r) => r.name,
    );

  return {
    customNames,

    /** Makes sure the custom genres exist (and are marked custom, so imports leave them alone). */
    async ensureCustom(names: readonly string[]) {
      for (const name of names) {
        await db.run(sql`INSERT INTO genres (name, is_custom) VALUES (${name}, ${true})
          ON CONFLICT (name) DO UPDATE SET is_custom = excluded.is_custom`);
      }
    },

    /** Titles not reviewed yet, most voted first, optionally only those with given IMDb genres. */
    async candidates({ limit, imdbGenres }: { limit: number; imdbGenres: string[] }): Promise<ReviewCandidate[]> {
      const filter =
        imdbGenres.length > 0
          ? sql`AND EXISTS (SELECT 1 FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
              WHERE tg.title_id = t.id AND g.name IN (${sql.join(imdbGenres, sql`, `)}))`
          : sql``;
      const rows = await db.all<Omit<ReviewCandidate, 'genres'>>(sql`
        SELECT t.id AS title_id, t.display_name, t.start_year, t.type, t.num_votes, t.average_rating,
               t.original_language, t.origin_country
        FROM titles t
        WHERE NOT EXISTS (SELECT 1 FROM custom_genre_reviews r WHERE r.title_id = t.id) ${filter}
        ORDER BY t.num_votes DESC NULLS LAST, t.id LIMIT ${limit}`);
      const byTitle = await genres.forTitles(rows.map((r) => r.title_id));
      return rows.map((r) => ({ ...r, genres: byTitle.get(r.title_id) ?? [] }));
    },

    /**
     * Applies a whole review file or nothing: unknown titles and genre names that are not
     * custom genres are reported together, before anything is written.
     */
    async apply(decisions: ReviewDecision[]): Promise<ReviewOutcome> {
      const custom = new Map((await customNames()).map((name) => [name.toLowerCase(), name]));
      const ids = [...new Set(decisions.map((d) => d.titleId))];
      const known = new Set<number>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = await db.all<{ id: number }>(sql`SELECT id FROM titles WHERE id IN (${sql.join(chunk, sql`, `)})`);
        for (const row of rows) known.add(row.id);
      }
      const problems: string[] = [];
      for (const d of decisions) {
        if (!known.has(d.titleId)) problems.push(`line ${d.line}: no title with id ${d.titleId}`);
        for (const name of d.genres) {
          if (!custom.has(name.toLowerCase())) {
            problems.push(`line ${d.line}: '${name}' is not a custom genre (${[...custom.values()].join(', ')})`);
          }
        }
      }
      if (problems.length > 0) {
        throw new ReviewFileError(`nothing imported, ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      }
      return db.transaction(async (tx) => {
        let assigned = 0;
        for (const d of decisions) {
          await tx.run(sql`INSERT INTO custom_genre_reviews (title_id, reviewed_at)
            VALUES (${d.titleId}, ${new Date().toISOString()}) ON CONFLICT (title_id) DO NOTHING`);
          for (const name of d.genres) {
            assigned += await tx.run(sql`INSERT INTO title_genres (title_id, genre_id)
              SELECT CAST(${d.titleId} AS integer), id FROM genres WHERE name = ${custom.get(name.toLowerCase())}
              ON CONFLICT DO NOTHING`);
          }
        }
        return { titles: decisions.length, assigned, none: decisions.filter((d) => d.genres.length === 0).length };
      });
    },
  };
}
