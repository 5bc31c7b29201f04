/**
 * PostgreSQL's staging aside (stage-aside.ts). TEMP tables are private to the session that
 * made them, so the worker stages into UNLOGGED tables (no WAL either) in a schema of the
 * import's own, named after the main session's backend (imdb_aside_<pid>), which finds them
 * through its search_path. The worker COPYs over two connections of its own: title.episode,
 * each episode with its name, on one, and the names it could not pair on the other, as they
 * come.
 *
 * The schema is dropped when the run ends, whether it succeeded or not; a killed run leaves
 * it to the next import, which drops every such schema whose session is gone.
 */
import pg from 'pg';
import { episodeNameLine, namedEpisodeLine } from './copy-text.ts';
import type { EpisodeNameRow } from './imdb-files.ts';
import type { Staging } from './load.ts';
import { LIVE_EPISODES_SQL } from './merge.ts';
import { type AsideMessage, type AsideStaging, runAside, stageAsideOn } from './stage-aside.ts';
import { dedupe, EPISODES_TABLE, episodeSlotsSql, openCopy } from './staging.pg.ts';

const SCHEMA_PREFIX = 'imdb_aside_';

export interface AsideSchema extends Pick<Staging, 'stageAside'> {
  /** Drops the schema and what the worker staged in it. */
  drop(): Promise<void>;
}

/**
 * Makes the worker's schema and tables and puts them on `client`'s search_path; null when
 * the database user may not create a schema (the files are then staged in turn).
 */
export async function createAsideSchema(
  client: pg.Client,
  url: string,
  log?: (message: string) => void,
): Promise<AsideSchema | null> {
  await dropOrphans(client);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const schema = `${SCHEMA_PREFIX}${Number(pid)}`;
  try {
    // One of a session gone whose pid this one reuses.
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    log?.('the database user may not create a schema: the files are staged one after the other');
    return null;
  }
  await client.query(`${EPISODES_TABLE('UNLOGGED', `${schema}.imdb_episodes`)};
    CREATE UNLOGGED TABLE ${schema}.imdb_episode_names (imdb_id text COLLATE "C" NOT NULL, display_name text)`);
  await client.query(`SELECT set_config('search_path', current_setting('search_path') || ', ${schema}', false)`);
  return {
    stageAside: stageAsideOn({ dialect: 'pg', url, schema }),
    drop: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

async function dropOrphans(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ schema: string }>(
    `SELECT nspname AS schema FROM pg_namespace WHERE nspname ~ '^${SCHEMA_PREFIX}[0-9]+$'
     AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE '${SCHEMA_PREFIX}' || a.pid = nspname)`,
  );
  for (const { schema } of rows) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** The worker's side: stages title.episode and the episode names into `schema`. */
export function runStageAside(
  { url, schema, dir }: { url: string; schema: string; dir: string },
  post: (message: AsideMessage) => void,
): Promise<void> {
  return runAside(
    dir,
    async () => {
      const [episodes, names] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
      const close = async () => {
        await Promise.all([episodes.end().catch(() => {}), names.end().catch(() => {})]);
      };
      try {
        await Promise.all([episodes.connect(), names.connect()]);
        // The slots' sort (episodeSlotsSql) stays in memory, as the merge's do (import.pg.ts).
        await episodes.query(`SET work_mem = '512MB'`);
      } catch (error) {
        await close();
        throw error;
      }
      return { staging: createAsideStaging(episodes, names, schema), close };
    },
    post,
  );
}

function createAsideStaging(episodes: pg.Client, names: pg.Client, schema: string): AsideStaging {
  const [episodeTable, nameTable] = [`${schema}.imdb_episodes`, `${schema}.imdb_episode_names`];
  const nameLines = (rows: EpisodeNameRow[]) => rows.map(episodeNameLine).join('');
  return {
    async loadNamedEpisodes(batches, _order, window) {
      const episodeCopy = openCopy(episodes, `COPY ${episodeTable} FROM STDIN`);
      const nameCopy = openCopy(names, `COPY ${nameTable} FROM STDIN`);
      try {
        for await (const rows of batches) {
          const last = rows[rows.length - 1];
          if (last) await window.fill(last.imdbId);
          let chunk = '';
          for (const row of rows) chunk += namedEpisodeLine(row, window.take(row.imdbId));
          await episodeCopy.write(chunk);
          await nameCopy.write(nameLines(window.spilled()));
        }
        for await (const rows of window.rest()) await nameCopy.write(nameLines(rows));
        await Promise.all([episodeCopy.end(), nameCopy.end()]);
      } catch (error) {
        episodeCopy.fail(error as Error);
        nameCopy.fail(error as Error);
        throw error;
      }
    },
    async unstageNames() {
      await episodes.query(`UPDATE ${episodeTable} SET display_name = NULL; TRUNCATE ${nameTable}`);
    },
    async loadNames(batches) {
      const copy = openCopy(names, `COPY ${nameTable} FROM STDIN`);
      try {
        for await (const rows of batches) {
          await copy.write(nameLines(rows.filter((row): row is EpisodeNameRow => row.kind === 'episode')));
        }
        await copy.end();
      } catch (error) {
        copy.fail(error as Error);
        throw error;
      }
    },
    async finish(sorted) {
      // Of a repeated tconst the first line wins (staging.pg.ts).
      const dropped = {
        basics: sorted.basics ? 0 : await dedupe(episodes, nameTable, 'UNLOGGED'),
        episodes: sorted.episodes ? 0 : await dedupe(episodes, episodeTable, 'UNLOGGED'),
        ratings: 0,
      };
      await episodes.query(`ANALYZE ${episodeTable}; ANALYZE ${nameTable}`);
      // Only a first placement reads the slots: not worth a pass over episodes there are already.
      const live = await episodes.query(LIVE_EPISODES_SQL);
      if (Number(live.rows[0]?.n) === 0) await episodes.query(episodeSlotsSql('UNLOGGED', schema));
      return dropped;
    },
  };
}
