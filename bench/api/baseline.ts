/**
 * The baseline: what the original Go server ran per search request, sent straight to the
 * same database (no HTTP, no JSON — so the comparison flatters the baseline, not us):
 * a COUNT, the language GROUP BY and the page query, all with a case-insensitive
 * substring match on display_name.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export interface BaselineRunner {
  /** Runs the three queries for one search; resolves to the number of matches. */
  search(q: string): Promise<number>;
  close(): Promise<void>;
}

const PAGE_COLUMNS = `t.id AS title_id, t.type, t.display_name, t.start_year, t.end_year, t.imdb_id, t.image_url,
  t.tmdb_id, t.num_votes, t.average_rating, t.original_title, t.original_language, t.release_date,
  t.created_at, t.updated_at, m.id AS movie_id, s.id AS show_id
  FROM titles t LEFT JOIN movies m ON m.title_id = t.id LEFT JOIN shows s ON s.title_id = t.id`;

export async function pgBaseline(url: string): Promise<BaselineRunner> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const match = `t.display_name ILIKE '%' || $1 || '%'`;
  return {
    async search(q) {
      const count = await client.query<{ count: string }>(`SELECT COUNT(*) AS count FROM titles t WHERE ${match}`, [q]);
      await client.query(
        `SELECT t.original_language, COUNT(*) AS count FROM titles t WHERE ${match} GROUP BY t.original_language`,
        [q],
      );
      await client.query(
        `SELECT ${PAGE_COLUMNS} WHERE ${match} ORDER BY t.num_votes DESC NULLS LAST, t.display_name LIMIT 100`,
        [q],
      );
      return Number(count.rows[0]?.count);
    },
    async close() {
      await client.end();
    },
  };
}

export async function sqliteBaseline(file: string): Promise<BaselineRunner> {
  const db = new BetterSqlite3(file, { readonly: true });
  // LIKE is case-insensitive for ASCII in SQLite: the nearest thing to ILIKE.
  const match = `t.display_name LIKE '%' || ? || '%'`;
  const count = db.prepare(`SELECT COUNT(*) AS count FROM titles t WHERE ${match}`);
  const languages = db.prepare(
    `SELECT t.original_language, COUNT(*) AS count FROM titles t WHERE ${match} GROUP BY t.original_language`,
  );
  const page = db.prepare(
    `SELECT ${PAGE_COLUMNS} WHERE ${match} ORDER BY t.num_votes DESC NULLS LAST, t.display_name LIMIT 100`,
  );
  return {
    async search(q) {
      const total = (count.get(q) as { count: number }).count;
      languages.all(q);
      page.all(q);
      return total;
    },
    async close() {
      db.close();
    },
  };
}
