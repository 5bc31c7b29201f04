/**
 * The write floor: what writing the full import's result costs with nothing else. The
 * catalogue tables' rows, as the import left them, go into a fresh migrated database
 * with no index or key in their way, then the schema's indexes and keys are built, in one
 * transaction. No file is read and nothing is compared, joined or deduplicated: no import
 * of these files into this schema can spend less on its writes. Set beside the raw load
 * floor (reading the files), it shows how much of the full-import target is left for the
 * work between the two.
 *   PostgreSQL: COPY FROM files dumped beforehand (not timed), then every index, primary
 *   and unique key, and foreign key of the tables built again.
 *   SQLite: INSERT ... SELECT from the result attached, then its indexes built again (the
 *   keys declared in CREATE TABLE cannot be dropped there, so they are kept up row by row).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { DatabaseTarget } from '../../server/config.ts';
import { openSqliteConnection } from '../../server/db/dialect.ts';
import type { WriteFloorResult } from './jobs.ts';

/** The tables an IMDb import writes, parents first. */
const CATALOGUE = ['genres', 'titles', 'movies', 'shows', 'title_genres', 'show_seasons', 'show_episodes'];

export async function writeFloor(target: DatabaseTarget, source: DatabaseTarget): Promise<WriteFloorResult> {
  if (target.dialect === 'pg' && source.dialect === 'pg') return pgWriteFloor(target.url, source.url);
  if (target.dialect === 'sqlite' && source.dialect === 'sqlite') return sqliteWriteFloor(target.path, source.path);
  throw new Error('the write floor copies between two databases of one dialect');
}

// --- PostgreSQL ---------------------------------------------------------------------------

interface Key {
  kind: 'index' | 'key' | 'foreign key';
  drop: string;
  create: string;
}

// Indexes no constraint owns, primary and unique keys of the catalogue tables, and every
// foreign key from or to them.
const KEYS_SQL = `
  SELECT 'index' AS kind, format('DROP INDEX %s', i.indexrelid::regclass) AS drop,
    pg_get_indexdef(i.indexrelid) AS create
  FROM pg_index i
  WHERE i.indrelid = ANY($1::regclass[])
    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u'))
  UNION ALL
  SELECT CASE WHEN k.contype = 'f' THEN 'foreign key' ELSE 'key' END,
    format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname),
    format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid))
  FROM pg_constraint k
  WHERE (k.contype IN ('p', 'u') AND k.conrelid = ANY($1::regclass[]))
    OR (k.contype = 'f' AND (k.conrelid = ANY($1::regclass[]) OR k.confrelid = ANY($1::regclass[])))`;

const DROP_ORDER: Key['kind'][] = ['foreign key', 'key', 'index'];
const CREATE_ORDER: Key['kind'][] = ['key', 'index', 'foreign key'];
const inOrder = (keys: Key[], order: Key['kind'][]) => order.flatMap((kind) => keys.filter((k) => k.kind === kind));

async function pgWriteFloor(url: string, sourceUrl: string): Promise<WriteFloorResult> {
  const dumps = await mkdtemp(path.join(tmpdir(), 'mediacanon-write-floor-'));
  const source = new pg.Client({ connectionString: sourceUrl });
  const client = new pg.Client({ connectionString: url });
  try {
    await source.connect();
    const rows: Record<string, number> = {};
    for (const table of CATALOGUE) {
      await pipeline(
        source.query(copyStreams.to(`COPY ${table} TO STDOUT`)),
        createWriteStream(path.join(dumps, table)),
      );
      const { rows: counted } = await source.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      rows[table] = Number(counted[0]?.n);
    }
    await source.end();

    await client.connect();
    // As the import's session sets it for the indexes it builds.
    await client.query(`SET maintenance_work_mem = '256MB'`);
    const { rows: keys } = await client.query<Key>(KEYS_SQL, [CATALOGUE]);
    for (const key of inOrder(keys, DROP_ORDER)) await client.query(key.drop);
    // Whatever the migrations put in (none of the result's rows).
    await client.query(`TRUNCATE ${CATALOGUE.join(', ')}`);

    await client.query('BEGIN');
    const started = performance.now();
    for (const table of CATALOGUE) {
      await pipeline(
        createReadStream(path.join(dumps, table)),
        client.query(copyStreams.from(`COPY ${table} FROM STDIN`)),
      );
    }
    const copied = performance.now();
    for (const key of inOrder(keys, CREATE_ORDER)) await client.query(key.create);
    await client.query('COMMIT');
    const ended = performance.now();
    return { ms: ended - started, rowsMs: copied - started, keysMs: ended - copied, keys: keys.length, rows };
  } finally {
    await source.end().catch(() => {});
    await client.end().catch(() => {});
    await rm(dumps, { recursive: true, force: true });
  }
}

// --- SQLite -------------------------------------------------------------------------------

function sqliteWriteFloor(file: string, sourceFile: string): WriteFloorResult {
  const db = openSqliteConnection(file);
  try {
    const list = CATALOGUE.map((t) => `'${t}'`).join(', ');
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list})`)
      .all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    // Whatever the migrations put in (none of the result's rows), children first.
    for (const table of [...CATALOGUE].reverse()) db.exec(`DELETE FROM main.${table}`);
    db.prepare('ATTACH DATABASE ? AS result').run(sourceFile);
    const rows: Record<string, number> = {};
    for (const table of CATALOGUE) {
      rows[table] = (db.prepare(`SELECT count(*) AS n FROM result.${table}`).get() as { n: number }).n;
    }

    const started = performance.now();
    db.exec('BEGIN');
    for (const table of CATALOGUE) db.exec(`INSERT INTO main.${table} SELECT * FROM result.${table}`);
    const copied = performance.now();
    for (const index of indexes) db.exec(index.sql);
    db.exec('COMMIT');
    const ended = performance.now();
    return { ms: ended - started, rowsMs: copied - started, keysMs: ended - copied, keys: indexes.length, rows };
  } finally {
    db.close();
  }
}
