/**
 * Databases for import tests. The importer opens its own connections, so a test needs a
 * target it can reach by name: a SQLite file in a temp dir, or a fresh database on the
 * PostgreSQL server vitest's global setup provides.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgTestDatabase } from '../../test/databases.ts';
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
  const fresh = await createPgTestDatabase('mc_imdb');
  const target: DatabaseTarget = { dialect: 'pg', url: fresh.url };
  return { target, open: () => openDatabase(target, { poolSize: 3 }), dispose: fresh.drop };
}
