/**
 * Databases for import tests. The importer opens its own connections, so a test needs a
 * target it can reach by name: a SQLite file in a temp dir, or a fresh database on the
 * PostgreSQL server vitest's global setup provides.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Database, Dialect } from '../db/sql-runner.ts';

export interface TestTarget {
  target: DatabaseTarget;
  /** Opens the target with migrations applied, as the app would. */
  open(): Promise<Database>;
  /** Removes the database (files or PostgreSQL database). */
  dispose(): Promise<void>;
}

export async function createTestTarget(dialect: Dialect): Promise<TestTarget> {
  return dialect === 'sqlite' ? createSqliteTarget() : createPgTarget();
}

async function createSqliteTarget(): Promise<TestTarget> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mc-imdb-db-'));
  const target: DatabaseTarget = { dialect: 'sqlite', path: path.join(dir, 'mediacanon.db') };
  return {
    target,
    open: () => openDatabase(target),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function createPgTarget(): Promise<TestTarget> {
  const serverUrl = inject('pgUrl');
  if (!serverUrl) throw new Error('no PostgreSQL server for this test run');
  const name = `mc_imdb_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { dialect: 'pg', url: url.toString() };
  return {
    target,
    open: () => openDatabase(target, { poolSize: 3 }),
    dispose: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
