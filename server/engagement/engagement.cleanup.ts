/**
 * The daily engagement cleanup (DESIGN section 8): keeps a 7-day window of views and
 * clicks, recomputes title_engagement from the views left, and refreshes each collection's
 * engagement_count from the clicks left.
 */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';
import type { Logger } from '../logger.ts';

export const ENGAGEMENT_WINDOW_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CleanupResult {
  deletedViews: number;
  deletedClicks: number;
}

export async function cleanupEngagement({ sql: db, now = new Date() }: { sql: SqlRunner; now?: Date }) {
  // ISO text compares correctly with SQLite's ISO timestamps and casts to timestamptz on PostgreSQL.
  const cutoff = new Date(now.getTime() - ENGAGEMENT_WINDOW_DAYS * DAY_MS).toISOString();
  return db.transaction(async (tx): Promise<CleanupResult> => {
    // On PostgreSQL a flush may commit while the cleanup runs: its views escape the DELETE of
    // title_engagement and then collide with the recount (a duplicate key), and its click lands
    // under the recount of collections, which then overwrites it. Taking the tables from
    // writers first (readers go on) waits for a flush under way and holds new ones until the
    // commit; the flush takes them in this same order, so the two cannot deadlock. SQLite
    // already runs one transaction at a time.
    if (tx.dialect === 'pg') {
      await tx.run(sql`LOCK TABLE title_views, title_engagement, collection_clicks, collections
        IN SHARE ROW EXCLUSIVE MODE`);
    }
    const deletedViews = await tx.run(sql`DELETE FROM title_views WHERE viewed_at < ${cutoff}`);
    const deletedClicks = await tx.run(sql`DELETE FROM collection_clicks WHERE clicked_at < ${cutoff}`);
    await tx.run(sql`DELETE FROM title_engagement`);
    await tx.run(sql`
      INSERT INTO title_engagement (title_id, views)
      SELECT title_id, SUM(view_count) FROM title_views GROUP BY title_id`);
    await tx.run(sql`
      UPDATE collections SET engagement_count = COALESCE(
        (SELECT SUM(cc.click_count) FROM collection_clicks cc WHERE cc.collection_id = collections.id), 0)`);
    return { deletedViews, deletedClicks };
  });
}

export interface CleanupSchedule {
  /** Stops the timer and waits for a cleanup under way. */
  stop(): Promise<void>;
}

/**
 * Runs `beforeEach` (the recorder's flush, so pending views land before counts are
 * recomputed) and the cleanup once soon after start, then every `everyMs`. Timers are
 * unref'd: they never keep the process alive.
 */
export function scheduleEngagementCleanup({
  sql: db,
  log,
  beforeEach = async () => {},
  everyMs = DAY_MS,
  firstAfterMs = 60_000,
}: {
  sql: SqlRunner;
  log: Pick<Logger, 'info' | 'error'>;
  beforeEach?: () => Promise<void>;
  everyMs?: number;
  firstAfterMs?: number;
}): CleanupSchedule {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = (async () => {
      try {
        await beforeEach();
        const { deletedViews, deletedClicks } = await cleanupEngagement({ sql: db });
        log.info(`engagement cleanup: ${deletedViews} view rows and ${deletedClicks} click rows past the window`);
      } catch (error) {
        log.error('engagement cleanup failed', error);
      } finally {
        running = null;
      }
    })();
  };
  const first = setTimeout(run, firstAfterMs);
  const interval = setInterval(run, everyMs);
  first.unref();
  interval.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(interval);
      await running;
    },
  };
}
