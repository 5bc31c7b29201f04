/**
 * The one place a dialect is chosen: DATABASE_URL (parsed into a DatabaseTarget by
 * config.ts) decides between PostgreSQL and embedded SQLite. Opening a database also
 * applies its pending migrations, so every caller gets an up-to-date schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { pgCollectionStorage } from '../collections/collections.pg.ts';
import { sqliteCollectionStorage } from '../collections/collections.sqlite.ts';
import type { DatabaseTarget } from '../config.ts';
import { pgTitleMatching } from '../titles/titles.pg.ts';
import { sqliteTitleMatching } from '../titles/titles.sqlite.ts';
import { createPgDatabase, createPgPool } from './runner.pg.ts';
import { createSqliteDatabase } from './runner.sqlite.ts';
import type { Database } from './sql-runner.ts';

const migrationsDir = (dialect: 'pg' | 'sqlite') => fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));

// Any fixed number: it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 727_431_001;

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  return target.dialect === 'pg' ? openPg(target.url, options) : openSqlite(target.path, options);
}

async function openPg(url: string, { migrate = true, poolSize }: OpenOptions): Promise<Database> {
  const pool = createPgPool(url, poolSize);
  try {
    if (migrate) {
      // Several server processes may start at once against one database: one migrates.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client), { migrationsFolder: migrationsDir('pg') });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    } else {
      await pool.query('SELECT 1');
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return createPgDatabase(pool);
}

export function openSqliteConnection(file: string): BetterSqlite3.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  connection.pragma('synchronous = NORMAL');
  // 64 MB of page cache instead of SQLite's 2 MB: search counts and walks stay in memory.
  connection.pragma('cache_size = -65536');
  return connection;
}

async function openSqlite(file: string, { migrate = true }: OpenOptions): Promise<Database> {
  const connection = openSqliteConnection(file);
  try {
    if (migrate) migrateSqlite(drizzleSqlite(connection), { migrationsFolder: migrationsDir('sqlite') });
  } catch (error) {
    connection.close();
    throw error;
  }
  return createSqliteDatabase(connection);
}

/** The per-dialect pieces of feature code, picked by dialect here and nowhere else. */
export const dialectParts = {
  pg: { titleMatching: pgTitleMatching, collectionStorage: pgCollectionStorage },
  sqlite: { titleMatching: sqliteTitleMatching, collectionStorage: sqliteCollectionStorage },
} as const;
