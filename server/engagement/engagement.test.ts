import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { seedTitles } from '../discover/discover.test-seed.ts';
import { createMemoryLogger } from '../logger.ts';
import { cleanupEngagement, scheduleEngagementCleanup } from './engagement.cleanup.ts';
import { createEngagementRecorder, type EngagementRecorder } from './engagement.recorder.ts';

const DAY = 24 * 60 * 60 * 1000;

describeEachDialect('engagement', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  let engagement: EngagementRecorder;
  beforeEach(async () => {
    t = await createTestApp(dialect, { engagement: true });
    ids = await seedTitles(t);
    if (!t.engagement) throw new Error('no recorder');
    engagement = t.engagement;
    for (const slug of ['korean', 'dramas']) {
      await t.repositories.collections.upsert({
        slug,
        name: slug,
        strategy: 'filter',
        pinned: false,
        filter: { type: 'movie' },
      });
    }
  });
  afterEach(() => t.close());

  const id = (key: string) => ids[key] as number;
  const bySourceOrder = (x: { title_id: number; source: string | null }, y: typeof x) =>
    x.title_id - y.title_id || String(x.source).localeCompare(String(y.source));
  const viewRows = async () =>
    (
      await t.db.sql.all<{ title_id: number; source: string | null; view_count: number }>(
        sql`SELECT title_id, source, view_count FROM title_views`,
      )
    )
      .map((r) => ({ ...r, title_id: Number(r.title_id), view_count: Number(r.view_count) }))
      .sort(bySourceOrder);
  const engagementRows = async () =>
    (
      await t.db.sql.all<{ title_id: number; views: number }>(
        sql`SELECT title_id, views FROM title_engagement ORDER BY title_id`,
      )
    ).map((r) => ({ title_id: Number(r.title_id), views: Number(r.views) }));
  const clicks = async () =>
    Object.fromEntries(
      (
        await t.db.sql.all<{ slug: string; clicks: number | null; engagement_count: number }>(sql`
          SELECT c.slug, (SELECT SUM(cc.click_count) FROM collection_clicks cc WHERE cc.collection_id = c.id) AS clicks,
            c.engagement_count
          FROM collections c ORDER BY c.slug`)
      ).map((r) => [r.slug, { clicks: Number(r.clicks ?? 0), engagement_count: Number(r.engagement_count) }]),
    );
  const discover = async (query: string) =>
    (await (await t.get(`/api/discover?${query}`)).json()) as {
      titles: { title_id: number; engagement_count: number }[];
    };
  const keysOf = (titles: { title_id: number }[]) =>
    titles.map((title) => Object.keys(ids).find((key) => ids[key] === title.title_id)).join('');

  it('detail GETs count views off the request path, written per title and source on flush', async () => {
    const kindId = async (table: 'movies' | 'shows', key: string) =>
      Number(
        (await t.db.sql.get<{ id: number }>(sql`SELECT id FROM ${sql.raw(table)} WHERE title_id = ${id(key)}`))?.id,
      );
    expect((await t.get(`/api/titles/${id('A')}`)).status).toBe(200);
    expect((await t.get(`/api/movies/${await kindId('movies', 'A')}`)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await t.get(`/api/titles/${id('A')}?source=search`)).status).toBe(200);
    expect((await t.get(`/api/titles/${id('B')}`)).status).toBe(200);
    const showId = await kindId('shows', 'B');
    expect((await t.get(`/api/shows/${showId}?source=home`)).status).toBe(200);
    expect((await t.get('/api/titles/999999?source=search')).status).toBe(404);

    // Nothing is written by the requests themselves.
    expect(await viewRows()).toEqual([]);
    expect(engagement.stats()).toEqual({ pending: 4, dropped: 0 });

    await engagement.flush();
    expect(engagement.stats().pending).toBe(0);
    const rows = await viewRows();
    // A: one plain title GET + one movie GET (no source), three with source=search; B: one plain, one show GET.
    expect(rows).toEqual(
      [
        { title_id: id('A'), source: null, view_count: 2 },
        { title_id: id('A'), source: 'search', view_count: 3 },
        { title_id: id('B'), source: null, view_count: 1 },
        { title_id: id('B'), source: 'home', view_count: 1 },
      ].sort(bySourceOrder),
    );
    expect(await engagementRows()).toEqual([
      { title_id: id('A'), views: 5 },
      { title_id: id('B'), views: 2 },
    ]);

    // A second flush adds to the per-title counts and writes new rows for the new views.
    await t.get(`/api/titles/${id('A')}?source=search`);
    await engagement.flush();
    expect(await engagementRows()).toEqual([
      { title_id: id('A'), views: 6 },
      { title_id: id('B'), views: 2 },
    ]);
    expect((await viewRows()).length).toBe(5);
  });

  it('a collection-<slug> source counts a click for that collection; opening a collection counts one too', async () => {
    await t.get(`/api/titles/${id('A')}?source=collection-korean`);
    await t.get(`/api/titles/${id('C')}?source=collection-korean`);
    await t.get(`/api/titles/${id('C')}?source=collection-no-such-slug`);
    expect((await t.get('/api/collections/dramas')).status).toBe(200);
    expect((await t.get('/api/collections/dramas?source=home')).status).toBe(200);
    expect(await clicks()).toEqual({
      dramas: { clicks: 0, engagement_count: 0 },
      korean: { clicks: 0, engagement_count: 0 },
    });

    await engagement.flush();
    expect(await clicks()).toEqual({
      dramas: { clicks: 2, engagement_count: 2 },
      korean: { clicks: 2, engagement_count: 2 },
    });
    // The unknown slug still counts as a view of C, but as nobody's click.
    expect(await engagementRows()).toEqual([
      { title_id: id('A'), views: 1 },
      { title_id: id('C'), views: 2 },
    ]);
    // One row per collection per flush, not per click.
    const rows = await t.db.sql.get<{ n: number }>(sql`SELECT count(*) AS n FROM collection_clicks`);
    expect(Number(rows?.n)).toBe(2);
  });

  it('keeps pending memory bounded: repeats fold into pending counts, new keys past the limit are dropped', async () => {
    const log = createMemoryLogger();
    const small = createEngagementRecorder({ sql: t.db.sql, log, flushEveryMs: 3_600_000, maxPending: 2 });
    small.recordView(id('A'), 'x');
    small.recordView(id('B'));
    for (let i = 0; i < 10; i++) small.recordView(id('A'), 'x'); // folded into the pending key
    small.recordView(id('C')); // a third key: dropped (and an early flush starts)
    expect(small.stats().dropped).toBe(1);
    await small.stop();
    expect(await engagementRows()).toEqual([
      { title_id: id('A'), views: 11 },
      { title_id: id('B'), views: 1 },
    ]);
    expect(log.lines).toEqual(['WARN engagement: 1 views or clicks dropped (more than 2 pending)']);
    // Stopped: later views are ignored.
    small.recordView(id('D'));
    expect(small.stats()).toEqual({ pending: 0, dropped: 1 });
  });

  it('skips titles deleted before the flush instead of failing the batch', async () => {
    await t.get(`/api/titles/${id('A')}`);
    await t.get(`/api/titles/${id('D')}`);
    expect((await t.del(`/api/titles/${id('D')}`)).status).toBe(204);
    await engagement.flush();
    expect(await engagementRows()).toEqual([{ title_id: id('A'), views: 1 }]);
    expect(t.log.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
  });

  it('popular ranks by views in the window, then id; engagement_count is that count', async () => {
    for (const [key, views] of [
      ['C', 3],
      ['G', 1],
      ['E', 3],
      ['H', 1],
    ] as const) {
      for (let i = 0; i < views; i++) engagement.recordView(id(key), 'test');
    }
    await engagement.flush();
    const page = await discover('sort=popular');
    // C and E tie on 3 (C has the lower id), G and H on 1; the rest have none: id order.
    expect(keysOf(page.titles)).toBe('CEGHABDF');
    expect(page.titles.map((x) => x.engagement_count)).toEqual([3, 3, 1, 1, 0, 0, 0, 0]);
    expect(keysOf((await discover('sort=popular&type=show')).titles)).toBe('EHB');
    expect(keysOf((await discover('sort=popular&limit=3&page=2')).titles)).toBe('HAB');
    // Other sorts carry the same counts.
    const az = await discover('sort=a-z&limit=1');
    expect(az.titles[0]).toMatchObject({ title_id: id('A'), engagement_count: 0 });
    const newest = await discover('sort=newest&limit=1');
    expect(newest.titles[0]).toMatchObject({ title_id: id('C'), engagement_count: 3 });
  });

  it('cleanup drops rows older than 7 days and recomputes title and collection counts', async () => {
    const now = new Date('2030-01-10T12:00:00.000Z');
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
    const korean = await t.repositories.collections.findBySlugOrId('korean');
    const dramas = await t.repositories.collections.findBySlugOrId('dramas');
    if (!korean || !dramas) throw new Error('collections missing');
    for (const [key, count, daysAgo] of [
      ['A', 4, 8],
      ['A', 2, 1],
      ['B', 5, 10],
      ['C', 1, 6.9],
      ['C', 3, 0],
    ] as const) {
      await t.db.sql.run(
        sql`INSERT INTO title_views (title_id, source, view_count, viewed_at) VALUES (${id(key)}, ${'x'}, ${count}, ${at(daysAgo)})`,
      );
    }
    for (const [collectionId, count, daysAgo] of [
      [korean.id, 7, 9],
      [korean.id, 2, 3],
      [dramas.id, 4, 8],
    ] as const) {
      await t.db.sql.run(
        sql`INSERT INTO collection_clicks (collection_id, click_count, clicked_at) VALUES (${collectionId}, ${count}, ${at(daysAgo)})`,
      );
    }
    // Stale maintained counts, as if flushes had added them over weeks.
    await t.db.sql.run(
      sql`INSERT INTO title_engagement (title_id, views) VALUES (${id('A')}, ${6}), (${id('B')}, ${5}), (${id('D')}, ${9})`,
    );
    await t.db.sql.run(sql`UPDATE collections SET engagement_count = 11`);

    expect(await cleanupEngagement({ sql: t.db.sql, now })).toEqual({ deletedViews: 2, deletedClicks: 2 });
    expect(await engagementRows()).toEqual([
      { title_id: id('A'), views: 2 },
      { title_id: id('C'), views: 4 },
    ]);
    expect(await clicks()).toEqual({
      dramas: { clicks: 0, engagement_count: 0 },
      korean: { clicks: 2, engagement_count: 2 },
    });
    expect(keysOf((await discover('sort=popular&limit=3')).titles)).toBe('CAB');
    // The collections list orders by the refreshed counts.
    const list = (await (await t.get('/api/collections')).json()) as { slug: string; engagement_count: number }[];
    expect(list.map((c) => [c.slug, c.engagement_count])).toEqual([
      ['korean', 2],
      ['dramas', 0],
    ]);
  });

  it('writes a large batch (more rows than SQLite allows in a compound SELECT) in one flush', async () => {
    for (let i = 0; i < 1200; i++) engagement.recordView(id('F'), `s${i}`);
    engagement.recordView(id('F'), 's0');
    await engagement.flush();
    expect(await engagementRows()).toEqual([{ title_id: id('F'), views: 1201 }]);
    const counted = await t.db.sql.get<{ n: number; total: number }>(
      sql`SELECT count(*) AS n, SUM(view_count) AS total FROM title_views`,
    );
    expect([Number(counted?.n), Number(counted?.total)]).toEqual([1200, 1201]);
  });

  it('the scheduled cleanup flushes pending views first, then recomputes', async () => {
    const log = createMemoryLogger();
    await t.db.sql.run(sql`INSERT INTO title_engagement (title_id, views) VALUES (${id('D')}, ${9})`);
    engagement.recordView(id('G'));
    const schedule = scheduleEngagementCleanup({
      sql: t.db.sql,
      log,
      beforeEach: () => engagement.flush(),
      firstAfterMs: 0,
    });
    await expect.poll(() => log.lines.length).toBe(1);
    await schedule.stop();
    expect(log.lines).toEqual(['INFO engagement cleanup: 0 view rows and 0 click rows past the window']);
    expect(await engagementRows()).toEqual([{ title_id: id('G'), views: 1 }]);
  });
});
