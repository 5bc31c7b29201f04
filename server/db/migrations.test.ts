/**
 * A database made by an earlier release, with rows in it, ends up exactly like a new one once
 * the later migrations run: the same tables, columns, indexes (with their definitions) and
 * constraints, and its rows kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, expect, inject, it } from 'vitest';
import { createPgTestDatabase, describeEachDialect } from '../../test/databases.ts';
import type { Dialect } from './sql-runner.ts';

const MIGRATIONS = (dialect: Dialect) => fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));
// The release to upgrade from: its last migration.
const FROM = '0003_tmdb';

/** A copy of the migrations folder that stops at `last`, as an earlier release shipped it. */
function migrationsUpTo(dialect: Dialect, last: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mc-migrations-${dialect}-`));
  fs.cpSync(MIGRATIONS(dialect), dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === last);
  if (end < 0) throw new Error(`no migration ${last}`);
  journal.entries = journal.entries.slice(0, end + 1);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

const ROWS = [
  `INSERT INTO genres (id, name) VALUES (1, 'Western')`,
  `INSERT INTO titles (id, type, display_name, num_votes, average_rating) VALUES (1, 'movie', 'Dune', 2000, 8.1)`,
  `INSERT INTO title_genres (title_id, genre_id) VALUES (1, 1)`,
];

describeEachDialect('migrations', (dialect) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it(`upgrade a database from ${FROM} with rows to exactly what a new one gets`, async () => {
    const earlier = migrationsUpTo(dialect, FROM);
    cleanups.push(() => fs.rmSync(earlier, { recursive: true, force: true }));
    const [upgraded, fresh] = dialect === 'pg' ? await pgSchemas(earlier, cleanups) : sqliteSchemas(earlier, cleanups);
    expect(upgraded.schema).toEqual(fresh.schema);
    expect(JSON.stringify(upgraded.schema)).toContain('idx_title_genres_genre');
    expect(upgraded.rows).toEqual([{ id: 1, genre_id: 1 }]);
  });
});

type Schema = { schema: unknown; rows: unknown[] };

function sqliteSchemas(earlier: string, cleanups: (() => Promise<void> | void)[]): [Schema, Schema] {
  const open = () => {
    const connection = new BetterSqlite3(':memory:');
    cleanups.push(() => {
      connection.close();
    });
    return connection;
  };
  const describe = (connection: BetterSqlite3.Database): Schema => ({
    schema: connection.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all(),
    rows: connection.prepare(`SELECT title_id AS id, genre_id FROM title_genres`).all(),
  });
  const upgraded = open();
  migrateSqlite(drizzleSqlite(upgraded), { migrationsFolder: earlier });
  for (const row of ROWS) upgraded.exec(row);
  migrateSqlite(drizzleSqlite(upgraded), { migrationsFolder: MIGRATIONS('sqlite') });
  const fresh = open();
  migrateSqlite(drizzleSqlite(fresh), { migrationsFolder: MIGRATIONS('sqlite') });
  return [describe(upgraded), describe(fresh)];
}

async function pgSchemas(earlier: string, cleanups: (() => Promise<void> | void)[]): Promise<[Schema, Schema]> {
  if (!inject('pgUrl')) throw new Error('no PostgreSQL server');
  const open = async () => {
    const db = await createPgTestDatabase('mc_migrations');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.push(async () => {
      await client.end();
      await db.drop();
    });
    return client;
  };
  const describe = async (client: pg.Client): Promise<Schema> => ({
    schema: {
      columns: (
        await client.query(`SELECT table_name, column_name, data_type, is_nullable, column_default
          FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`)
      ).rows,
      constraints: (
        await client.query(`SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`)
      ).rows,
      indexes: (
        await client.query(
          `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
        )
      ).rows,
    },
    rows: (await client.query(`SELECT title_id AS id, genre_id FROM title_genres`)).rows,
  });
  const upgraded = await open();
  await migratePg(drizzlePg(upgraded), { migrationsFolder: earlier });
  for (const row of ROWS) await upgraded.query(row);
  await migratePg(drizzlePg(upgraded), { migrationsFolder: MIGRATIONS('pg') });
  const fresh = await open();
  await migratePg(drizzlePg(fresh), { migrationsFolder: MIGRATIONS('pg') });
  return [await describe(upgraded), await describe(fresh)];
}
