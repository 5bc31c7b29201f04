/**
 * PostgreSQL staging: each file streams through COPY FROM STDIN into a TEMP table (no WAL,
 * private to this session, gone when it ends). No per-row round trips; no staging indexes,
 * because the merge's set-based joins are hash joins that only need the statistics ANALYZE
 * gives them. Duplicates are removed once staged, and only where a file was out of order.
 * title.episode and the episode names may be staged by a worker instead (stage-aside.pg.ts).
 */
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { basicsLine, copyLines, episodeLine, ratingLine } from './copy-text.ts';
import type { ImdbFile } from './imdb-files.ts';
import type { Staging } from './load.ts';

// IMDb ids in byte order, as the live columns they are joined with (migration 0007).
const STAGING_TABLES = `
  CREATE TEMP TABLE imdb_basics (
    imdb_id text COLLATE "C" NOT NULL, type text NOT NULL, display_name text, original_title text,
    start_year integer, end_year integer, runtime_minutes integer, search_name text, genres text
  );
  CREATE TEMP TABLE imdb_ratings (imdb_id text COLLATE "C" NOT NULL, average_rating numeric(3,1) NOT NULL, num_votes integer NOT NULL);
  CREATE TEMP TABLE imdb_title_scope (imdb_id text COLLATE "C" NOT NULL);
  CREATE TEMP TABLE imdb_episode_scope (imdb_id text COLLATE "C" NOT NULL);
  CREATE TEMP TABLE imdb_rating_scope (imdb_id text COLLATE "C" NOT NULL);
`;

/**
 * title.episode's table; display_name is the episode's name when it was staged with it
 * (stage-aside.pg.ts), else NULL and looked up in imdb_episode_names.
 */
export const EPISODES_TABLE = (kind: 'TEMP' | 'UNLOGGED', name: string) =>
  `CREATE ${kind} TABLE ${name} (
    imdb_id text COLLATE "C" NOT NULL, parent_id text COLLATE "C" NOT NULL, season integer NOT NULL,
    episode integer NOT NULL, display_name text
  )`;

/**
 * What a first placement of the episodes (merge-episodes-first.ts) needs of them that
 * does not depend on the catalogue, so the staging thread can prepare it while the titles
 * merge (and does, when the catalogue holds no episodes yet; else the merge makes it if it
 * must): each slot's lowest tconst with its name (one sorted pass over the episodes), the
 * slots' seasons with their episodes (one more pass), and each parent's episodes and
 * seasons (what the merge's tallies count), from those.
 * `schema`: where the staged episodes are and these go.
 */
export function episodeSlotsSql(kind: 'TEMP' | 'UNLOGGED', schema?: string): string {
  const at = (table: string) => (schema ? `${schema}.${table}` : table);
  return `CREATE ${kind} TABLE ${at('imdb_slots')} AS
      SELECT DISTINCT ON (e.parent_id, e.season, e.episode) e.parent_id, e.season, e.episode, e.imdb_id,
        COALESCE(e.display_name, n.display_name) AS display_name
      FROM ${at('imdb_episodes')} e LEFT JOIN ${at('imdb_episode_names')} n ON n.imdb_id = e.imdb_id
      ORDER BY e.parent_id, e.season, e.episode, e.imdb_id;
    CREATE ${kind} TABLE ${at('imdb_slot_seasons')} AS
      SELECT parent_id, season, count(*) AS episodes FROM ${at('imdb_episodes')} GROUP BY parent_id, season;
    CREATE ${kind} TABLE ${at('imdb_parent_episodes')} AS
      SELECT parent_id, sum(episodes) AS episodes, count(*) AS seasons FROM ${at('imdb_slot_seasons')} GROUP BY parent_id;
    ANALYZE ${at('imdb_slots')}; ANALYZE ${at('imdb_slot_seasons')}; ANALYZE ${at('imdb_parent_episodes')}`;
}

/** Whether the slots are staged already (by the staging thread): else the merge makes them. */
export const SLOTS_STAGED_SQL = `SELECT to_regclass('imdb_slots') IS NOT NULL AS staged`;

/**
 * Makes this session's staging tables; `aside`: title.episode and the names are staged
 * elsewhere (stage-aside.pg.ts), so their tables are not made here.
 */
export async function createStagingTables(client: pg.Client, { aside }: { aside: boolean }): Promise<void> {
  await client.query(STAGING_TABLES);
  if (!aside) await client.query(EPISODES_TABLE('TEMP', 'imdb_episodes'));
}

export function createPgStaging(client: pg.Client, { aside }: { aside: boolean }): Staging {
  const copy = async <Row>(table: string, batches: AsyncIterable<Row[]>, line: (row: Row) => string) => {
    // A failing source destroys the COPY stream, which sends CopyFail: the session stays usable.
    await pipeline(copyLines(batches, line), client.query(copyStreams.from(`COPY ${table} FROM STDIN`)));
  };
  return {
    loadBasics: (batches) => copy('imdb_basics', batches, basicsLine),
    loadEpisodes: (batches) => copy('imdb_episodes (imdb_id, parent_id, season, episode)', batches, episodeLine),
    loadRatings: (batches) => copy('imdb_ratings', batches, ratingLine),
    loadScope: async (table, imdbIds) => {
      async function* keys() {
        for (let at = 0; at < imdbIds.length; at += 5000) yield imdbIds.slice(at, at + 5000);
      }
      await copy(table, keys(), (imdbId: string) => `${imdbId}\n`);
    },
    finish: (sorted) => finishStaging(client, sorted, aside),
  };
}

/** Builds the staging contract merge.ts reads, removing duplicates only where a file was out of order. */
async function finishStaging(
  client: pg.Client,
  sorted: Record<ImdbFile, boolean>,
  aside: boolean,
): Promise<Record<ImdbFile, number>> {
  const rows = async (text: string) => (await client.query(text)).rowCount ?? 0;
  // Of a repeated tconst the first line wins, as on SQLite: a freshly filled table's ctid
  // follows the order its rows were copied in.
  const unique = (columns: string) => (sorted.basics ? columns : `DISTINCT ON (imdb_id) ${columns}`);
  const order = sorted.basics ? '' : 'ORDER BY imdb_id, ctid';
  const basicsRows = sorted.basics ? 0 : await count(client, 'imdb_basics');
  const titleRows = await rows(`CREATE TEMP TABLE imdb_titles AS
    SELECT ${unique('imdb_id, type, display_name, original_title, start_year, end_year, runtime_minutes, search_name, genres')}
    FROM imdb_basics WHERE type <> 'episode' ${order}`);
  await rows(`CREATE TEMP TABLE imdb_title_genres AS
    SELECT imdb_id, unnest(string_to_array(genres, ',')) AS name FROM imdb_titles WHERE genres IS NOT NULL`);
  const ratings = sorted.ratings ? 0 : await dedupe(client, 'imdb_ratings', 'TEMP');
  await client.query('ANALYZE imdb_basics; ANALYZE imdb_titles; ANALYZE imdb_title_genres; ANALYZE imdb_ratings');
  await client.query('ANALYZE imdb_title_scope; ANALYZE imdb_episode_scope; ANALYZE imdb_rating_scope');
  // The worker finishes its own tables.
  if (aside) return { basics: sorted.basics ? 0 : basicsRows - titleRows, episodes: 0, ratings };
  // Episode names are read once, by one join: a view over the staged rows is enough.
  const names = sorted.basics
    ? await rows(
        `CREATE TEMP VIEW imdb_episode_names AS SELECT imdb_id, display_name FROM imdb_basics WHERE type = 'episode'`,
      )
    : await rows(`CREATE TEMP TABLE imdb_episode_names AS SELECT ${unique('imdb_id, display_name')}
        FROM imdb_basics WHERE type = 'episode' ${order}`);
  const episodes = sorted.episodes ? 0 : await dedupe(client, 'imdb_episodes', 'TEMP');
  await client.query('ANALYZE imdb_episodes');
  return { basics: sorted.basics ? 0 : basicsRows - titleRows - names, episodes, ratings };
}

async function count(client: pg.Client, table: string): Promise<number> {
  return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
}

/**
 * Keeps the first row of each tconst of `table` (schema-qualified or not), written again
 * as a table of the same kind; returns how many rows that dropped. The caller ANALYZEs it.
 */
export async function dedupe(client: pg.Client, table: string, kind: 'TEMP' | 'UNLOGGED'): Promise<number> {
  const before = await count(client, table);
  const kept = await client.query(
    `CREATE ${kind} TABLE ${table}_unique AS SELECT DISTINCT ON (imdb_id) * FROM ${table} ORDER BY imdb_id, ctid`,
  );
  const name = table.slice(table.lastIndexOf('.') + 1);
  await client.query(`DROP TABLE ${table}; ALTER TABLE ${table}_unique RENAME TO ${name}`);
  return before - (kept.rowCount ?? 0);
}

/**
 * A COPY FROM STDIN written chunk by chunk, for a writer that feeds two COPYs at once (one
 * per connection) and so cannot pipe one source into each.
 */
export function openCopy(client: pg.Client, statement: string) {
  const stream = client.query(copyStreams.from(statement));
  const done = finished(stream);
  done.catch(() => {}); // awaited by write or end
  return {
    async write(chunk: string): Promise<void> {
      if (chunk.length > 0 && !stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
    },
    async end(): Promise<void> {
      stream.end();
      await done;
    },
    /** Sends CopyFail: the connection stays usable. */
    fail(error: Error): void {
      stream.destroy(error);
    },
  };
}
