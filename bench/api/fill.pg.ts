/**
 * Fills a migrated PostgreSQL database with the data set by COPY from generated streams.
 * Before the load, the filled tables' foreign keys and secondary indexes (those not backing a
 * constraint) are dropped; afterwards they are recreated from their own catalog definitions
 * (pg_get_constraintdef, pg_indexes.indexdef), so the schema ends exactly as the migration
 * left it. Then the sequences are moved past the ids used and the tables VACUUM ANALYZEd.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../../server/db/dialect.ts';
import type { Dataset } from './data.ts';
import type { FillStep } from './fill.sqlite.ts';
import { TITLE_COLUMNS, titleValues } from './title-columns.ts';

const FILLED_TABLES = ['titles', 'movies', 'shows', 'show_seasons', 'show_episodes', 'genres', 'title_genres'];
// Tables with a serial id whose sequence must move past the ids loaded.
const SEQUENCED_TABLES = FILLED_TABLES.filter((table) => table !== 'title_genres');

type Cell = string | number | boolean | null;

// COPY text format: backslash escapes, \N for NULL.
const cell = (value: Cell) =>
  value === null
    ? '\\N'
    : typeof value === 'string'
      ? value.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'))
      : String(value);

function* lines<R>(rows: Iterable<R>, toCells: (row: R) => Cell[]): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    chunk += `${toCells(row).map(cell).join('\t')}\n`;
    if (++count === 2000) {
      yield chunk;
      chunk = '';
      count = 0;
    }
  }
  if (chunk) yield chunk;
}

async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

export async function fillPg(url: string, data: Dataset, log: (line: string) => void): Promise<FillStep[]> {
  const steps: FillStep[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    const ms = performance.now() - start;
    steps.push({ step, ms });
    log(`  ${step}: ${(ms / 1000).toFixed(1)} s`);
    return result;
  };

  // The app's own open applies the migrations.
  await (await openDatabase({ dialect: 'pg', url })).close();

  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    clients.push(client);
    await client.connect();
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query('SET synchronous_commit = off');
    return client;
  };
  try {
    const client = await connect();
    const foreignKeys = (
      await client.query<{ tbl: string; name: string; def: string }>(
        `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY 1, 2`,
        [FILLED_TABLES],
      )
    ).rows;
    const indexes = (
      await client.query<{ name: string; def: string }>(
        `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
         ORDER BY 1`,
        [FILLED_TABLES],
      )
    ).rows;
    if (!indexes.some((i) => i.name === 'idx_titles_search_trgm')) {
      throw new Error('pg fill: idx_titles_search_trgm not found; has the schema changed?');
    }
    for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT "${fk.name}"`);
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);

    const copy = <R>(table: string, columns: string[], rows: Iterable<R>, toCells: (row: R) => Cell[]) =>
      timed(`copy ${table}`, () =>
        pipeline(
          Readable.from(lines(rows, toCells)),
          client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
        ),
      );

    await copy('titles', [...TITLE_COLUMNS], data.titles(), (t) => titleValues(t, (flag) => (flag ? 't' : 'f')));
    await copy('genres', ['id', 'name'], data.genres(), (g) => [g.id, g.name]);
    await copy('title_genres', ['title_id', 'genre_id'], data.titleGenres(), (g) => [g.titleId, g.genreId]);
    await copy('movies', ['id', 'title_id'], data.movies(), (m) => [m.id, m.titleId]);
    await copy('shows', ['id', 'title_id'], data.shows(), (s) => [s.id, s.titleId]);
    await copy('show_seasons', ['id', 'show_id', 'season'], data.seasons(), (s) => [s.id, s.showId, s.season]);
    await copy(
      'show_episodes',
      ['id', 'season_id', 'episode', 'display_name', 'synopsis', 'air_date', 'runtime_minutes'],
      data.episodes(),
      (e) => [e.id, e.seasonId, e.episode, e.displayName, e.synopsis, e.airDate, e.runtimeMinutes],
    );

    // Index builds on one table may run side by side (CREATE INDEX takes a SHARE lock).
    const second = await connect();
    const pool = [client, second];
    await timed('create indexes', () =>
      runPool(
        // The slowest first, so the others fill the gaps beside it.
        [...indexes].sort((a, b) => Number(b.def.includes('gin')) - Number(a.def.includes('gin'))),
        pool.length,
        async (index) => {
          const c = pool.shift() as pg.Client;
          try {
            await c.query(index.def);
          } finally {
            pool.push(c);
          }
        },
      ),
    );
    await timed('add foreign keys', async () => {
      for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT "${fk.name}" ${fk.def}`);
    });
    for (const table of SEQUENCED_TABLES) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM ${table}), true)
         WHERE EXISTS (SELECT 1 FROM ${table})`,
        [table],
      );
    }
    await timed('VACUUM ANALYZE', async () => {
      for (const table of FILLED_TABLES) await client.query(`VACUUM (ANALYZE) ${table}`);
    });

    const { rows } = await client.query<{ titles: string; episodes: string }>(
      'SELECT (SELECT count(*) FROM titles) AS titles, (SELECT count(*) FROM show_episodes) AS episodes',
    );
    const counts = rows[0];
    if (Number(counts?.titles) !== data.titleCount || Number(counts?.episodes) !== data.episodeCount) {
      throw new Error(`pg fill: unexpected row counts ${JSON.stringify(counts)}`);
    }
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
  return steps;
}
