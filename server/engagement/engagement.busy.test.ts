/**
 * Flushes while another connection holds the write lock, as an IMDb import's merge does:
 * on SQLite a second connection in BEGIN IMMEDIATE (the recorder's connection waits 100 ms
 * instead of 5 s), on PostgreSQL a second client holding an EXCLUSIVE lock on title_views
 * (the recorder's pool has lock_timeout 100 ms). The views must arrive once the lock is let
 * go, each counted once; any other failure still drops the batch.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPgTestDatabase, describeEachDialect } from '../../test/databases.ts';
import { tempDirs } from '../../test/temp-dirs.ts';
import { openDatabase, openSqliteConnection } from '../db/dialect.ts';
import { createPgDatabase, createPgPool } from '../db/runner.pg.ts';
import { createSqliteDatabase } from '../db/runner.sqlite.ts';
import type { Database, Dialect, SqlRunner } from '../db/sql-runner.ts';
import { createMemoryLogger } from '../logger.ts';
import { createEngagementRecorder } from './engagement.recorder.ts';

const LOST = /flush failed, its views and clicks are lost/;
const BUSY = /database busy/;

/** A database with three titles; a recorder connection that gives up on a lock after 100 ms; a lock holder. */
async function openBusyFixture(dialect: Dialect, makeDir: (prefix: string) => string) {
  let target: { dialect: 'sqlite'; path: string } | { dialect: 'pg'; url: string };
  let cleanup = async () => {};
  if (dialect === 'sqlite') {
    target = { dialect: 'sqlite', path: path.join(makeDir('mc-engagement-busy-'), 'db.sqlite') };
  } else {
    const fresh = await createPgTestDatabase('mc_busy');
    target = { dialect: 'pg', url: fresh.url };
    cleanup = fresh.drop;
  }
  const db = await openDatabase(target);
  const rows = await db.sql.all<{ id: number }>(
    sql`INSERT INTO titles (type, display_name) VALUES ('movie', 'A'), ('movie', 'B'), ('show', 'C') RETURNING id`,
  );
  const [a, b, c] = rows.map((r) => Number(r.id)) as [number, number, number];

  let recorderDb: Database;
  let holder: { hold(): Promise<void>; release(): Promise<void>; close(): Promise<void> };
  if (target.dialect === 'sqlite') {
    const connection = openSqliteConnection(target.path);
    recorderDb = createSqliteDatabase(connection, { lockWaitMs: 100 });
    const other = new BetterSqlite3(target.path);
    holder = {
      hold: async () => void other.exec('BEGIN IMMEDIATE'),
      release: async () => void other.exec('COMMIT'),
      close: async () => void other.close(),
    };
  } else {
    const url = new URL(target.url);
    url.searchParams.set('options', '-c lock_timeout=100');
    recorderDb = createPgDatabase(createPgPool(url.toString(), 3));
    const other = new pg.Client({ connectionString: target.url });
    await other.connect();
    holder = {
      hold: async () => void (await other.query('BEGIN; LOCK TABLE title_views IN EXCLUSIVE MODE')),
      release: async () => void (await other.query('COMMIT')),
      close: () => other.end(),
    };
  }
  return {
    db,
    recorderDb,
    holder,
    ids: { a, b, c },
    async views() {
      const found = await db.sql.all<{ title_id: number; source: string | null; view_count: number }>(
        sql`SELECT title_id, source, view_count FROM title_views ORDER BY title_id, source`,
      );
      return found.map((r) => [Number(r.title_id), r.source, Number(r.view_count)]);
    },
    async engagement() {
      const found = await db.sql.all<{ title_id: number; views: number }>(
        sql`SELECT title_id, views FROM title_engagement ORDER BY title_id`,
      );
      return found.map((r) => [Number(r.title_id), Number(r.views)]);
    },
    async close() {
      await holder.close();
      await recorderDb.close();
      await db.close();
      await cleanup();
    },
  };
}

const waitFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDialect('engagement flush while another connection holds the write lock', (dialect) => {
  let f: Awaited<ReturnType<typeof openBusyFixture>>;
  // Registered first, so its afterEach removes the SQLite file after f.close() has run.
  const makeDir = tempDirs();
  beforeEach(async () => {
    f = await openBusyFixture(dialect, makeDir);
  });
  afterEach(() => f.close());

  it('keeps a busy batch and writes it, with what came since, once at the next tick after the lock goes', async () => {
    const log = createMemoryLogger();
    const recorder = createEngagementRecorder({ sql: f.recorderDb.sql, log, flushEveryMs: 50 });
    const { a, b, c } = f.ids;
    await f.holder.hold();
    for (let i = 0; i < 3; i++) recorder.recordView(a, 'home');
    recorder.recordView(b, null);
    await expect.poll(() => log.lines.some((line) => BUSY.test(line)), { timeout: 5000, interval: 20 }).toBe(true);
    // Arrived while busy: one more for a pending key, one new key.
    recorder.recordView(a, 'home');
    recorder.recordView(c, 'search');
    await waitFor(200); // several more busy ticks
    expect(await f.views()).toEqual([]);
    expect(recorder.stats().dropped).toBe(0);

    await f.holder.release();
    const expected = [
      [a, 'home', 4],
      [b, null, 1],
      [c, 'search', 1],
    ];
    await expect.poll(() => f.views(), { timeout: 5000, interval: 20 }).toEqual(expected);
    await waitFor(200); // more ticks: nothing is written twice
    await recorder.stop();
    expect(await f.views()).toEqual(expected);
    expect(await f.engagement()).toEqual([
      [a, 4],
      [b, 1],
      [c, 1],
    ]);
    expect(recorder.stats()).toEqual({ pending: 0, dropped: 0 });
    expect(log.lines.filter((line) => BUSY.test(line))).toHaveLength(1);
    expect(log.lines.some((line) => LOST.test(line))).toBe(false);
  });

  it('stop() tries a busy final flush again, briefly, and writes it once the lock goes', async () => {
    const log = createMemoryLogger();
    const recorder = createEngagementRecorder({ sql: f.recorderDb.sql, log, flushEveryMs: 60_000 });
    await f.holder.hold();
    recorder.recordView(f.ids.a, 'home');
    recorder.recordView(f.ids.a, 'home');
    setTimeout(() => void f.holder.release(), 300);
    await recorder.stop();
    expect(await f.views()).toEqual([[f.ids.a, 'home', 2]]);
    expect(log.lines.some((line) => /lost/.test(line))).toBe(false);
  });

  it('stop() gives up within its limit when the lock stays, and says what was lost', async () => {
    const log = createMemoryLogger();
    const recorder = createEngagementRecorder({
      sql: f.recorderDb.sql,
      log,
      flushEveryMs: 60_000,
      stopRetryMs: 500,
    });
    await f.holder.hold();
    recorder.recordView(f.ids.a, 'home');
    const started = Date.now();
    await recorder.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(log.lines.some((line) => /still busy at stop, 1 pending/.test(line))).toBe(true);
    expect(recorder.stats().pending).toBe(0);
    await f.holder.release();
    expect(await f.views()).toEqual([]);
  });

  it('drops the batch and logs it on an error that is not a busy database', async () => {
    const log = createMemoryLogger();
    const recorder = createEngagementRecorder({ sql: f.recorderDb.sql, log, flushEveryMs: 60_000 });
    await f.db.sql.run(sql`ALTER TABLE title_views RENAME TO title_views_gone`);
    recorder.recordView(f.ids.a, 'home');
    await recorder.flush();
    expect(log.lines.some((line) => LOST.test(line))).toBe(true);
    expect(recorder.stats()).toEqual({ pending: 0, dropped: 0 });
    await f.db.sql.run(sql`ALTER TABLE title_views_gone RENAME TO title_views`);
    await recorder.flush();
    await recorder.stop();
    expect(await f.views()).toEqual([]);
    expect(await f.engagement()).toEqual([]);
  });
});

describe('engagement: a busy batch put back stays within maxPending', () => {
  it('adds counts of keys in both, keeps the batch first and counts the keys beyond maxPending as dropped', async () => {
    let fail = () => {};
    const written: number[] = [];
    const busyOnce: SqlRunner = {
      dialect: 'sqlite',
      all: async () => [],
      get: async () => undefined,
      run: async () => 0,
      transaction: async (work) => {
        if (written.length === 0) {
          written.push(0);
          await new Promise<void>((resolve) => {
            fail = resolve;
          });
          throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        }
        written.push(1);
        return work(busyOnce);
      },
    };
    const recorder = createEngagementRecorder({
      sql: busyOnce,
      log: createMemoryLogger(),
      flushEveryMs: 60_000,
      maxPending: 3,
    });
    recorder.recordView(1, 'home');
    recorder.recordView(2, 'home');
    const flushed = recorder.flush();
    await waitFor(10);
    // Arrived during the flush: a key of the batch and three new ones, one more than fits.
    recorder.recordView(1, 'home');
    recorder.recordView(3, 'home');
    recorder.recordView(4, 'home');
    recorder.recordView(4, 'home');
    recorder.recordView(5, 'home');
    expect(recorder.stats()).toEqual({ pending: 3, dropped: 1 });
    fail();
    await flushed;
    // Batch {1, 2} + since {1, 3, 4×2}: 1 merged, 3 fits, 4 (two views) does not.
    expect(recorder.stats()).toEqual({ pending: 3, dropped: 3 });
    await recorder.flush();
    expect(written).toEqual([0, 1]);
    expect(recorder.stats()).toEqual({ pending: 0, dropped: 3 });
  });
});
