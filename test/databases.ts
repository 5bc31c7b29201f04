/**
 * Databases for tests: a fresh in-memory SQLite, or a fresh database on the PostgreSQL
 * server global-setup found, each with the real migrations applied.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openDatabase } from '../server/db/dialect.ts';
import type { Database, Dialect } from '../server/db/sql-runner.ts';
import { createRepositories } from '../server/repositories.ts';

/**
 * Registers `body` once per dialect. Without PostgreSQL (only possible outside CI: global
 * setup fails CI without it) the PostgreSQL copy shows up as skipped, never silently absent.
 */
export function describeEachDialect(title: string, body: (dialect: Dialect) => void) {
  describe(`${title} [sqlite]`, () => body('sqlite'));
  if (inject('pgUrl')) describe(`${title} [pg]`, () => body('pg'));
  else describe.skip(`${title} [pg] (no PostgreSQL server)`, () => body('pg'));
}

/** A new, empty database on the test PostgreSQL server, and a way to drop it. */
export async function createPgTestDatabase(prefix = 'mc_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('pgUrl');
  if (!serverUrl) throw new Error('no PostgreSQL server for this test run');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function openTestDatabase(dialect: Dialect): Promise<Database> {
  if (dialect === 'sqlite') return openDatabase({ dialect: 'sqlite', path: ':memory:' });
  const fresh = await createPgTestDatabase();
  const db = await openDatabase({ dialect: 'pg', url: fresh.url }, { poolSize: 5 });
  return {
    ...db,
    async close() {
      await db.close();
      await fresh.drop();
    },
  };
}

export async function openTestRepositories(dialect: Dialect) {
  const db = await openTestDatabase(dialect);
  return { db, ...createRepositories(db) };
}

async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
