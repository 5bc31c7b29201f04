/**
 * Databases for import tests. The importer opens its own connections, so a test needs a
 * target it can reach by name: a SQLite file in a temp dir, or a fresh database on the
 * PostgreSQL server vitest's global setup provides.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
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

/** What each test of a describe block gets from useImportFixture, fresh every time. */
export interface ImportFixture {
  target: DatabaseTarget;
  /** The database opened with migrations applied, as the app would. */
  db: Database;
  /** An empty directory for the dataset files. */
  dir: string;
}

/**
 * Gives every test of the enclosing describe block a fresh target, opened, and an empty
 * files directory, and removes both after it. Read the fields inside tests: they change.
 */
export function useImportFixture(dialect: Dialect, label: string): ImportFixture {
  const fixture = {} as ImportFixture;
  let testTarget: TestTarget;
  beforeEach(async () => {
    testTarget = await createTestTarget(dialect);
    fixture.target = testTarget.target;
    fixture.dir = await mkdtemp(path.join(tmpdir(), `mc-imdb-${label}-`));
    fixture.db = await testTarget.open();
  });
  afterEach(async () => {
    await fixture.db.close();
    await testTarget.dispose();
    await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
