import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestRepositories } from '../../test/databases.ts';
import { type FakeTmdb, KNOWN, recorded, startFakeTmdb } from '../../test/fake-tmdb/fake-tmdb.ts';
import { always } from '../../test/fake-tmdb/scenarios.ts';
import { seedTitles } from '../../test/fake-tmdb/seed.ts';
import { createEnrichmentRepository } from './enrichment.repository.ts';
import { createEpisodeEnrichment, EPISODES_COOLDOWN_MS } from './episode-enrichment.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createTmdbClient } from './tmdb.client.ts';

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
});
afterAll(() => fake.close());

const tmdbEpisodes = recorded.season.episodes as { name: string; episode_number: number }[];

describeEachDialect('episode enrichment', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestRepositories>>;
  let showTitle: number;
  let clock: number;
  const make = () => {
    const client = createTmdbClient({
      baseUrl: fake.url,
      credentials: { kind: 'bearer', token: fake.token },
      limiter: createRateLimiter({ perSecond: 1000 }),
      backoffMs: 1,
    });
    const store = createEnrichmentRepository({ sql: t.db.sql });
    return { store, episodes: createEpisodeEnrichment({ client, store, now: () => clock }) };
  };

  beforeEach(async () => {
    fake.use(null);
    fake.requests.length = 0;
    clock = Date.parse('2026-01-01T00:00:00Z');
    t = await openTestRepositories(dialect);
    [showTitle] = (await seedTitles(t, t.db.sql, [
      { type: 'show', name: 'Game of Thrones', imdbId: KNOWN.show.imdbId, seasons: { 1: [1, 2], 3: [1], 4: [1, 99] } },
    ])) as [number];
  });
  afterEach(async () => {
    t.carousels.stop();
    await t.db.close();
  });

  it('asks only for episodes lacking data, and keeps a 404 in a partly known season at that', async () => {
    const { store, episodes } = make();
    const pass = await episodes.enrichShow({ id: showTitle, tmdb_id: KNOWN.show.tmdbId });
    // S1E1, S1E2 found; S3E1 → flat fallback S1E3; S4E1, S4E99: whole season 404 → S1E4, S1E102 (404).
    expect(pass).toMatchObject({ asked: 5, stored: 4, flatSeason: 2, notFound: 1, failed: 0 });
    const rows = await store.showEpisodes(showTitle);
    expect(rows.map((e) => e.display_name)).toEqual([
      tmdbEpisodes[0]?.name,
      tmdbEpisodes[1]?.name,
      tmdbEpisodes[2]?.name,
      tmdbEpisodes[3]?.name,
      null,
    ]);
    expect(rows[0]).toMatchObject({ air_date: '2011-04-17', runtime_minutes: expect.any(Number) });

    fake.requests.length = 0;
    const again = await episodes.enrichShow({ id: showTitle, tmdb_id: KNOWN.show.tmdbId });
    expect(again.asked).toBe(1); // only S4E99 still lacks data
  });

  it('cools down for 24 hours after a pass with answers, not after one where TMDB was down', async () => {
    const { store, episodes } = make();
    fake.use(always({ destroy: true }));
    const down = await episodes.enrichShow({ id: showTitle, tmdb_id: KNOWN.show.tmdbId });
    expect(down.failed).toBeGreaterThan(0);
    expect((await store.title(showTitle))?.episodes_checked_at).toBeNull();

    // TMDB is back (a fresh client: the first one's circuit is open after the outage).
    fake.use(null);
    await make().episodes.enrichShow({ id: showTitle, tmdb_id: KNOWN.show.tmdbId });
    const checkedAt = (await store.title(showTitle))?.episodes_checked_at ?? null;
    expect(checkedAt).toEqual(expect.any(String));
    clock = Date.parse(checkedAt as string) + EPISODES_COOLDOWN_MS - 1000;
    expect(episodes.coolingDown(checkedAt)).toBe(true);
    clock += 2000;
    expect(episodes.coolingDown(checkedAt)).toBe(false);
  });
});
