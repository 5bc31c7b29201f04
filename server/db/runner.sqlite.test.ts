/**
 * The app's SQLite connection waits for another process's write lock (an IMDb import's
 * merge) outside SQLite: the server keeps answering meanwhile, and the write goes through
 * once the lock is released, or fails busy after the wait.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBusy } from './db-errors.ts';
import { openSqliteConnection } from './dialect.ts';
import { createSqliteDatabase } from './runner.sqlite.ts';
import type { Database } from './sql-runner.ts';

describe('SQLite runner and another process holding the write lock', () => {
  let dir: string;
  let db: Database;
  let other: BetterSqlite3.Database;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mc-sqlite-lock-'));
    const file = path.join(dir, 'db.sqlite');
    db = createSqliteDatabase(openSqliteConnection(file), { lockWaitMs: 1500 });
    await db.sql.run(sql`CREATE TABLE counts (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`);
    await db.sql.run(sql`INSERT INTO counts (id, n) VALUES (1, 0)`);
    other = new BetterSqlite3(file);
    other.exec('BEGIN IMMEDIATE');
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps reading and the event loop free while a write waits, and writes once the lock goes', async () => {
    const write = db.sql.transaction((tx) => tx.run(sql`UPDATE counts SET n = n + 1 WHERE id = 1`));
    const single = db.sql.run(sql`UPDATE counts SET n = n + 10 WHERE id = 1`);
    // A timer of 20 ms fires about on time: nothing holds the event loop.
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(performance.now() - started).toBeLessThan(250);
    expect((await db.sql.get<{ n: number }>(sql`SELECT n FROM counts WHERE id = 1`))?.n).toBe(0);
    other.exec('COMMIT');
    await Promise.all([write, single]);
    expect((await db.sql.get<{ n: number }>(sql`SELECT n FROM counts WHERE id = 1`))?.n).toBe(11);
  });

  it('fails busy after its wait when the lock stays', async () => {
    const error = await db.sql.run(sql`UPDATE counts SET n = n + 1 WHERE id = 1`).catch((e: unknown) => e);
    expect(isBusy(error)).toBe(true);
    const failed = await db.sql.transaction((tx) => tx.run(sql`UPDATE counts SET n = 5`)).catch((e: unknown) => e);
    expect(isBusy(failed)).toBe(true);
    other.exec('ROLLBACK');
    // The connection is usable again, with no transaction left open.
    await db.sql.transaction((tx) => tx.run(sql`UPDATE counts SET n = 7 WHERE id = 1`));
    expect((await db.sql.get<{ n: number }>(sql`SELECT n FROM counts WHERE id = 1`))?.n).toBe(7);
  });
});
