/**
 * The daily cleanup racing a flush (PostgreSQL runs them on two connections at once; SQLite
 * has one connection, so there they cannot overlap, and the same test checks the outcome).
 * A flush is held open just before its commit while the cleanup starts, then let go.
 */
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import type { SqlRunner } from '../db/sql-runner.ts';
import { seedTitles } from '../discover/discover.test-seed.ts';
import { createMemoryLogger } from '../logger.ts';
import { cleanupEngagement } from './engagement.cleanup.ts';
import { createEngagementRecorder } from './engagement.recorder.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A runner whose transactions stop after the statement `pauseAfter` matches, until released. */
function pausingRunner(inner: SqlRunner, pauseAfter: RegExp) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const paused = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const text = (q: SQL) => new PgDialect().sqlToQuery(q).sql;
  const runner: SqlRunner = {
    ...inner,
    transaction: (work) =>
      inner.transaction((tx) =>
        work({
          ...tx,
          async run(q) {
            const changed = await tx.run(q);
            if (pauseAfter.test(text(q))) {
              reached();
              await released;
            }
            return changed;
          },
        }),
      ),
  };
  return { runner, paused, release };
}

describeEachDialect('engagement cleanup during a flush', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    ids = await seedTitles(t);
  });
  afterEach(() => t.close());

  const id = (key: string) => ids[key] as number;

  /** Until the cleanup waits on a lock (PostgreSQL); SQLite's cleanup waits for the connection. */
  const cleanupBlocked = async () => {
    if (dialect === 'sqlite') return new Promise((resolve) => setTimeout(resolve, 50));
    await expect
      .poll(
        async () =>
          Number((await t.db.sql.get<{ n: number }>(sql`SELECT count(*) AS n FROM pg_locks WHERE NOT granted`))?.n),
        {
          timeout: 5000,
          interval: 10,
        },
      )
      .toBeGreaterThan(0);
  };

  // With views, the cleanup used to fail (a title first viewed in the flush inserted twice);
  // with a click only, the recomputed count used to overwrite the flush's click.
  it.each([
    { batch: 'views and a click', views: true },
    { batch: 'a click only', views: false },
  ])('counts every view and click once, and the cleanup succeeds ($batch)', async ({ views }) => {
    const collection = await t.repositories.collections.upsert({
      slug: 'korean',
      name: 'Korean',
      strategy: 'filter',
      pinned: false,
      filter: { type: 'movie' },
    });
    const old = new Date(Date.now() - 9 * DAY).toISOString();
    // A viewed twice recently and 4 times long ago; B never viewed before the paused flush.
    await t.db.sql.run(sql`INSERT INTO title_views (title_id, source, view_count, viewed_at)
      VALUES (${id('A')}, ${'x'}, ${2}, ${new Date().toISOString()}), (${id('A')}, ${'x'}, ${4}, ${old})`);
    await t.db.sql.run(sql`INSERT INTO title_engagement (title_id, views) VALUES (${id('A')}, ${6})`);
    await t.db.sql.run(sql`INSERT INTO collection_clicks (collection_id, click_count, clicked_at)
      VALUES (${collection.id}, ${3}, ${new Date().toISOString()}), (${collection.id}, ${5}, ${old})`);
    await t.db.sql.run(sql`UPDATE collections SET engagement_count = 8`);

    const { runner, paused, release } = pausingRunner(t.db.sql, /UPDATE collections SET engagement_count/);
    const recorder = createEngagementRecorder({ sql: runner, log: createMemoryLogger(), flushEveryMs: 60_000 });
    if (views) {
      recorder.recordView(id('A'), 'home');
      recorder.recordView(id('B'), 'home');
    }
    recorder.recordClick(collection.id);
    const flushed = recorder.flush();
    await paused;
    const cleaned = cleanupEngagement({ sql: t.db.sql });
    await cleanupBlocked();
    release();
    await flushed;
    await recorder.stop();
    expect(await cleaned).toEqual({ deletedViews: 1, deletedClicks: 1 });

    const engagement = await t.db.sql.all<{ title_id: number; views: number }>(
      sql`SELECT title_id, views FROM title_engagement ORDER BY title_id`,
    );
    expect(engagement.map((r) => [Number(r.title_id), Number(r.views)])).toEqual(
      views
        ? [
            [id('A'), 3],
            [id('B'), 1],
          ]
        : [[id('A'), 2]],
    );
    const counted = await t.db.sql.get<{ engagement_count: number }>(
      sql`SELECT engagement_count FROM collections WHERE id = ${collection.id}`,
    );
    expect(Number(counted?.engagement_count)).toBe(4);
  });
});
