/**
 * Views and clicks, recorded without slowing the response (DESIGN section 8).
 *
 * recordView()/recordClick() only bump a counter in memory; a timer (and flush()) writes
 * what is pending in one transaction: one multi-row INSERT (VALUES lists, CHUNK rows each) into title_views (a row per
 * (title, source) per flush, carrying view_count), one upsert adding to title_engagement,
 * and for clicks one INSERT into collection_clicks (click_count) plus an add to
 * collections.engagement_count. Titles or collections deleted meanwhile are skipped.
 *
 * Memory is bounded by maxPending distinct keys: a view or click for a key already pending
 * is folded into its count (no growth); a new key while full is dropped and counted in
 * stats().dropped, and an early flush is started.
 *
 * A flush that fails because another writer holds the lock (an IMDb import's merge holds
 * SQLite's write lock for seconds to minutes) puts its batch back, merged with what arrived
 * since and still within maxPending, and the next tick tries again; stop() tries a few more
 * times, briefly. Any other failure drops the batch, so a broken database cannot grow memory.
 */
import { type SQL, sql } from 'drizzle-orm';
import { isTransient } from '../db/db-errors.ts';
import type { SqlRunner } from '../db/sql-runner.ts';
import type { Logger } from '../logger.ts';

/** A detail view opened from a collection carries source `collection-<slug>`. */
const COLLECTION_SOURCE = /^collection-(.+)$/;

export interface EngagementRecorder {
  /** Counts one view of a title; synchronous, never throws, never waits on the database. */
  recordView(titleId: number, source?: string | null): void;
  /** Counts one click (an opened collection). */
  recordClick(collectionId: number): void;
  /** Writes everything pending now (waits for a flush already under way first). */
  flush(): Promise<void>;
  /** Flushes, then stops the timer; later records are ignored. */
  stop(): Promise<void>;
  stats(): { pending: number; dropped: number };
}

/** What createServer uses when it is given no recorder: records nothing. */
export const noopEngagementRecorder: EngagementRecorder = {
  recordView: () => {},
  recordClick: () => {},
  flush: async () => {},
  stop: async () => {},
  stats: () => ({ pending: 0, dropped: 0 }),
};

export interface EngagementRecorderDeps {
  sql: SqlRunner;
  log: Pick<Logger, 'warn' | 'error'>;
  flushEveryMs?: number;
  /** Most distinct (title, source) and collection keys held between flushes. */
  maxPending?: number;
  /**
   * stop(): no new attempt at a busy final flush starts later than this after the stop. On
   * SQLite an attempt itself waits up to busy_timeout (5 s), so the whole stop stays within
   * host.child.ts's 10 s shutdown deadline.
   */
  stopRetryMs?: number;
}

interface Pending {
  /** key `${titleId}\u0000${source}` → views. */
  views: Map<string, { titleId: number; source: string | null; count: number }>;
  /** Collections by id → clicks. */
  clicksById: Map<number, number>;
  /** Collections by slug (from `collection-<slug>` sources) → clicks; resolved at flush. */
  clicksBySlug: Map<string, number>;
}

const emptyPending = (): Pending => ({ views: new Map(), clicksById: new Map(), clicksBySlug: new Map() });
const size = (p: Pending) => p.views.size + p.clicksById.size + p.clicksBySlug.size;
/** Pause between the attempts of a busy final flush in stop(). */
const STOP_RETRY_PAUSE_MS = 200;
const STOP_ATTEMPTS = 4;
const list = (parts: SQL[]) => sql.join(parts, sql`, `);
const int = (n: number) => sql`CAST(${n} AS integer)`;
// Rows per statement: one statement per flush at the default maxPending, and well under
// both dialects' limits on bound parameters.
const CHUNK = 5000;
const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

export function createEngagementRecorder({
  sql: db,
  log,
  flushEveryMs = 2000,
  maxPending = 10_000,
  stopRetryMs = 2500,
}: EngagementRecorderDeps): EngagementRecorder {
  let pending = emptyPending();
  let dropped = 0;
  let reportedDropped = 0;
  let stopped = false;
  let flushing: Promise<void> | null = null;
  /** The last flush failed on a busy database and put its batch back (until one succeeds). */
  let busy = false;

  // A slow database must not queue up a flush per tick: skip ticks while one is under way.
  const timer = setInterval(() => {
    if (!flushing) void flush();
  }, flushEveryMs);
  timer.unref();

  /** Adds one to `map[key]`, unless that needs a new key while full. */
  const bump = <K>(map: Map<K, number>, key: K): boolean => {
    const count = map.get(key);
    if (count !== undefined) {
      map.set(key, count + 1);
      return true;
    }
    if (!room()) return false;
    map.set(key, 1);
    return true;
  };

  const room = (): boolean => {
    if (size(pending) < maxPending) return true;
    dropped++;
    // While the database is busy the timer retries; an early flush would only wait again.
    if (!flushing && !busy) void flush();
    return false;
  };

  const recordClickBySlug = (slug: string) => {
    if (!stopped) bump(pending.clicksBySlug, slug);
  };

  async function write(batch: Pending) {
    const views = [...batch.views.values()];
    const slugs = [...batch.clicksBySlug.keys()];
    await db.transaction(async (tx) => {
      for (const part of chunks(views)) {
        const rows = part.map((v) => sql`(${int(v.titleId)}, CAST(${v.source} AS text), ${int(v.count)})`);
        await tx.run(sql`
          INSERT INTO title_views (title_id, source, view_count)
          SELECT v.column1, v.column2, v.column3 FROM (VALUES ${list(rows)}) v
          WHERE EXISTS (SELECT 1 FROM titles t WHERE t.id = v.column1)`);
      }
      const perTitle = new Map<number, number>();
      for (const v of views) perTitle.set(v.titleId, (perTitle.get(v.titleId) ?? 0) + v.count);
      for (const part of chunks([...perTitle])) {
        const rows = part.map(([titleId, n]) => sql`(${int(titleId)}, ${int(n)})`);
        await tx.run(sql`
          INSERT INTO title_engagement (title_id, views)
          SELECT v.column1, v.column2 FROM (VALUES ${list(rows)}) v
          WHERE EXISTS (SELECT 1 FROM titles t WHERE t.id = v.column1)
          ON CONFLICT (title_id) DO UPDATE SET views = title_engagement.views + excluded.views`);
      }

      const clicks = new Map(batch.clicksById);
      if (slugs.length > 0) {
        const found = await tx.all<{ id: number; slug: string }>(
          sql`SELECT id, slug FROM collections WHERE slug IN (${list(slugs.map((s) => sql`${s}`))})`,
        );
        for (const { id, slug } of found) {
          clicks.set(Number(id), (clicks.get(Number(id)) ?? 0) + (batch.clicksBySlug.get(slug) ?? 0));
        }
      }
      for (const part of chunks([...clicks])) {
        const values = sql`(VALUES ${list(part.map(([id, n]) => sql`(${int(id)}, ${int(n)})`))})`;
        await tx.run(sql`
          INSERT INTO collection_clicks (collection_id, click_count)
          SELECT v.column1, v.column2 FROM ${values} v
          WHERE EXISTS (SELECT 1 FROM collections c WHERE c.id = v.column1)`);
        await tx.run(sql`
          UPDATE collections SET engagement_count = engagement_count + (
            SELECT v.column2 FROM ${values} v WHERE v.column1 = collections.id)
          WHERE id IN (${list(part.map(([id]) => sql`${id}`))})`);
      }
    });
  }

  /**
   * Puts a batch that could not be written back in front of what arrived since. Counts of
   * a key in both are added; keys beyond maxPending are dropped, as a full recorder does.
   */
  function putBack(batch: Pending) {
    const since = pending;
    pending = batch;
    const fits = () => size(pending) < maxPending;
    for (const [key, view] of since.views) {
      const entry = pending.views.get(key);
      if (entry) entry.count += view.count;
      else if (fits()) pending.views.set(key, view);
      else dropped += view.count;
    }
    for (const [map, from] of [
      [pending.clicksById, since.clicksById],
      [pending.clicksBySlug, since.clicksBySlug],
    ] as [Map<unknown, number>, Map<unknown, number>][]) {
      for (const [key, count] of from) {
        const had = map.get(key);
        if (had !== undefined) map.set(key, had + count);
        else if (fits()) map.set(key, count);
        else dropped += count;
      }
    }
  }

  async function flushOnce() {
    const batch = pending;
    pending = emptyPending();
    if (dropped > reportedDropped) {
      log.warn(`engagement: ${dropped - reportedDropped} views or clicks dropped (more than ${maxPending} pending)`);
      reportedDropped = dropped;
    }
    if (size(batch) === 0) return;
    try {
      await write(batch);
      busy = false;
    } catch (error) {
      if (isTransient(error)) {
        // Written whole or not at all: kept for the next tick.
        if (!busy) log.warn('engagement: database busy, views and clicks kept for the next flush', error);
        busy = true;
        putBack(batch);
        return;
      }
      busy = false;
      // Not put back: a database that keeps failing must not grow memory without bound.
      log.error('engagement: flush failed, its views and clicks are lost', error);
    }
  }

  function flush(): Promise<void> {
    // One flush at a time; a flush asked for during one runs after it, with what came since.
    const previous = flushing ?? Promise.resolve();
    const next = previous.then(flushOnce);
    flushing = next;
    void next.finally(() => {
      if (flushing === next) flushing = null;
    });
    return next;
  }

  return {
    recordView(titleId, source) {
      if (stopped) return;
      const src = source ? source : null;
      const key = `${titleId}\u0000${src ?? ''}`;
      const entry = pending.views.get(key);
      if (entry) entry.count++;
      else if (room()) pending.views.set(key, { titleId, source: src, count: 1 });
      else return;
      const slug = src ? COLLECTION_SOURCE.exec(src)?.[1] : undefined;
      if (slug) recordClickBySlug(slug);
    },
    recordClick(collectionId) {
      if (!stopped) bump(pending.clicksById, collectionId);
    },
    flush,
    async stop() {
      clearInterval(timer);
      stopped = true;
      const started = Date.now();
      await flush();
      for (let attempt = 1; busy && attempt < STOP_ATTEMPTS; attempt++) {
        if (Date.now() - started + STOP_RETRY_PAUSE_MS > stopRetryMs) break;
        await new Promise((resolve) => setTimeout(resolve, STOP_RETRY_PAUSE_MS));
        await flush();
      }
      if (busy && size(pending) > 0) {
        log.error(`engagement: database still busy at stop, ${size(pending)} pending views and clicks are lost`);
        pending = emptyPending();
      }
    },
    stats: () => ({ pending: size(pending), dropped }),
  };
}
