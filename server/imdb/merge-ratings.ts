/**
 * The merge's ratings steps (merge.ts runs them with the titles'): ratings live on titles,
 * so a rating is an update of its title, or goes in with a new title's insert.
 */
import type { MergeStep } from './merge.ts';

/**
 * Counts the ratings new titles take along with their insert: steps before it and after.
 * Whole files rate most new titles: the rated titles after the insert less those before,
 * two passes over titles rather than a join with every rating (1.4 s at full scale on
 * PostgreSQL). A delta stages few ratings: the join is cheaper.
 */
export function ratingsTakenAlong(scoped: boolean): { before: MergeStep[]; after: MergeStep[] } {
  const stage = 'ratings';
  if (scoped) {
    const sql = `SELECT count(*) AS n FROM imdb_title_changes c JOIN imdb_ratings r ON r.imdb_id = c.imdb_id
                 WHERE c.id IS NULL`;
    return { before: [{ stage, count: true, tally: 'inserted', sql }], after: [] };
  }
  return {
    before: [{ stage, sql: `CREATE TEMP TABLE imdb_rated_before AS SELECT ${RATED_TITLES} AS n` }],
    after: [{ stage, count: true, tally: 'inserted', sql: `SELECT ${RATED_TITLES} - n AS n FROM imdb_rated_before` }],
  };
}

export function ratingUpdates(scoped: boolean): MergeStep[] {
  const stage = 'ratings';
  return [
    // Both sides have the same exact type (numeric(3,1) / the same REAL parse of the same
    // text), so an unchanged rating compares equal and is not rewritten.
    {
      stage,
      tally: 'updated',
      sql: `UPDATE titles SET average_rating = r.average_rating, num_votes = r.num_votes
            FROM imdb_ratings r WHERE titles.imdb_id = r.imdb_id
            AND (titles.average_rating IS DISTINCT FROM r.average_rating OR titles.num_votes IS DISTINCT FROM r.num_votes)`,
    },
    {
      stage,
      tally: 'removed',
      sql: `UPDATE titles SET average_rating = NULL, num_votes = NULL
            WHERE imdb_id IS NOT NULL AND (average_rating IS NOT NULL OR num_votes IS NOT NULL)
            ${scoped ? 'AND imdb_id IN (SELECT imdb_id FROM imdb_rating_scope)' : ''}
            AND NOT EXISTS (SELECT 1 FROM imdb_ratings r WHERE r.imdb_id = titles.imdb_id)`,
    },
  ];
}

// Once merged, an IMDb title has votes exactly when the file rates it (numVotes is never
// \N, and only the import writes it).
const RATED_TITLES = '(SELECT count(*) FROM titles WHERE imdb_id IS NOT NULL AND num_votes IS NOT NULL)';

// One pass over titles, in a delta import too, instead of a join with the file's ratings.
export const RATINGS_PRESENT: MergeStep = {
  stage: 'ratings',
  count: true,
  tally: 'present',
  sql: `SELECT ${RATED_TITLES} AS n`,
};
