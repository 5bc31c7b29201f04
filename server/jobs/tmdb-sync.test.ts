import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestRepositories } from '../../test/databases.ts';
import { type FakeTmdb, KNOWN, startFakeTmdb } from '../../test/fake-tmdb/fake-tmdb.ts';
import { always, failFirst } from '../../test/fake-tmdb/scenarios.ts';
import { seedTitles, titleRow } from '../../test/fake-tmdb/seed.ts';
import { type Config, loadConfig } from '../config.ts';
import { createMemoryLogger } from '../logger.ts';
import { createTmdbSettingsStore } from '../settings/tmdb-settings.store.ts';
import { type CircuitBreaker, createCircuitBreaker } from '../tmdb/circuit-breaker.ts';
import { createEnrichmentRepository } from '../tmdb/enrichment.repository.ts';
import { createTmdbProvider } from '../tmdb/tmdb.provider.ts';
import { CancelledError } from './imdb-sync.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';
import { runTmdbSync, TmdbNotConfiguredError } from './tmdb-sync.ts';

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
  // A movie TMDB finds by IMDb id but whose details are gone (404).
  fake.catalogue.find.set('tt0000777', {
    ...fake.catalogue.emptyFind,
    movie_results: [{ id: 777, poster_path: null }],
  });
});
afterAll(() => fake.close());

const STAR_WARS = {
  tmdb_id: 11,
  image_url: 'https://image.tmdb.org/t/p/w500/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
  original_language: 'en',
  release_date: '1977-05-25',
  tmdb_popularity: 20.6912,
  origin_country: 'US',
  runtime_minutes: 121,
};
const GAME_OF_THRONES = {
  tmdb_id: 1399,
  image_url: 'https://image.tmdb.org/t/p/w500/1XS1oqL89opfnbLl8WnZY1O1uJx.jpg',
  original_language: 'en',
  release_date: '2011-04-17',
  tmdb_popularity: 346.098,
  origin_country: 'US',
  // A show keeps its own runtime (TMDB's TV details have none): the seeded one is unset.
  runtime_minutes: null,
};

describeEachDialect('TMDB backfill job', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestRepositories>>;
  let dataDir: string;
  let ids: number[];
  beforeEach(async () => {
    fake.use(null);
    fake.requests.length = 0;
    t = await openTestRepositories(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-tmdb-sync-'));
    ids = await seedTitles(t, t.db.sql, [
      { type: 'movie', name: 'Star Wars', imdbId: KNOWN.movie.imdbId, votes: 1_000 },
      { type: 'show', name: 'Game of Thrones', imdbId: KNOWN.show.imdbId, votes: 2_000 },
      { type: 'movie', name: 'Unknown to TMDB', imdbId: 'tt9999999', votes: 500 },
      { type: 'movie', name: 'Details gone', imdbId: 'tt0000777', votes: null },
      { type: 'movie', name: 'Home video', imdbId: null, votes: 10 },
    ]);
  });
  afterEach(async () => {
    t.carousels.stop();
    await t.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const config = (env: Record<string, string> = { TMDB_ACCESS_TOKEN: fake.token }) =>
    loadConfig({ MEDIACANON_DATA_DIR: dataDir, TMDB_API_URL: fake.url, TMDB_RATE_LIMIT: '200', ...env });
  const sync = (
    options: {
      limit?: number;
      reset?: boolean;
      env?: Record<string, string>;
      signal?: AbortSignal;
      concurrency?: number;
    } = {},
  ) => runTmdbSync({ config: config(options.env), db: t.db, log: createMemoryLogger(), ...options });
  const row = (i: number) => titleRow(t.db.sql, ids[i] as number);
  const findsAsked = () => fake.requestsTo('find').map((r) => r.path.replace('/find/', ''));

  it('enriches flagged titles most-voted first, clears the flags and records the run', async () => {
    // One at a time, so that the order TMDB is asked in is the order titles are taken in.
    const result = await sync({ concurrency: 1 });
    expect(result.status).toBe('succeeded');
    expect(result.stats).toMatchObject({ pending: 5, processed: 5, enriched: 2, notFound: 2, noImdbId: 1, failed: 0 });
    expect(await row(0)).toMatchObject({ ...STAR_WARS, needs_backfill_tmdb: expect.anything() });
    expect(await row(1)).toMatchObject(GAME_OF_THRONES);
    for (const i of [0, 1, 2, 3, 4]) expect(Boolean((await row(i))?.needs_backfill_tmdb)).toBe(false);
    expect(findsAsked().slice(0, 3)).toEqual([KNOWN.show.imdbId, KNOWN.movie.imdbId, 'tt9999999']);
    const [job] = await createSyncJobsRepository({ sql: t.db.sql }).list();
    expect(job).toMatchObject({ kind: 'tmdb', status: 'succeeded', stats: { enriched: 2 } });
  });

  it('remembers titles TMDB does not know and never asks for them again', async () => {
    await sync();
    expect((await row(2))?.tmdb_not_found_at).toEqual(expect.any(String));
    expect((await row(3))?.tmdb_not_found_at).toEqual(expect.any(String));
    expect((await row(2))?.image_url).toBeNull();
    fake.requests.length = 0;
    const again = await sync();
    expect(again.stats.processed).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops at --limit and the next run resumes with the titles left', async () => {
    const first = await sync({ limit: 2 });
    expect(first.stats).toMatchObject({ pending: 5, processed: 2, enriched: 2 });
    expect(Boolean((await row(2))?.needs_backfill_tmdb)).toBe(true);
    fake.requests.length = 0;
    const second = await sync();
    expect(second.stats).toMatchObject({ pending: 3, processed: 3, notFound: 2 });
    expect(findsAsked()).not.toContain(KNOWN.movie.imdbId);
  });

  it('leaves a title flagged when TMDB keeps failing for it, and finishes the others', async () => {
    fake.use(
      always(
        { status: 500, body: { status_code: 11, status_message: 'Internal error', success: false } },
        (r) => r.path === '/find/tt0076759',
      ),
    );
    const result = await sync();
    expect(result.stats).toMatchObject({ processed: 5, failed: 1, enriched: 1 });
    expect(Boolean((await row(0))?.needs_backfill_tmdb)).toBe(true);
    expect((await row(0))?.tmdb_id).toBeNull();
    fake.use(null);
    expect((await sync()).stats).toMatchObject({ processed: 1, enriched: 1 });
    expect(await row(0)).toMatchObject(STAR_WARS);
  });

  it('rides out a burst of 5xx answers', async () => {
    fake.use(failFirst(3, 503));
    expect((await sync()).stats).toMatchObject({ enriched: 2, failed: 0 });
  });

  /** The TMDB services a run uses, with a breaker quick enough for a test. */
  const servicesWithBreaker = (cfg: Config, breaker: CircuitBreaker) =>
    createTmdbProvider({
      tmdb: cfg.tmdb,
      settings: createTmdbSettingsStore({ dataDir }),
      store: createEnrichmentRepository({ sql: t.db.sql }),
      log: createMemoryLogger(),
      breaker,
    }).current();

  it('waits while TMDB is down (circuit open) and goes on when it is back', async () => {
    const cfg = config();
    const tmdb = servicesWithBreaker(cfg, createCircuitBreaker({ threshold: 3, cooldownMs: 150 }));
    fake.use(failFirst(8, 503));
    const log = createMemoryLogger();
    const result = await runTmdbSync({ config: cfg, db: t.db, log, tmdb, concurrency: 1 });
    expect(result.stats).toMatchObject({ processed: 5, enriched: 2, notFound: 2, failed: 0 });
    expect(log.lines.some((line) => /TMDB is failing; waiting/.test(line))).toBe(true);
    expect(await row(1)).toMatchObject(GAME_OF_THRONES);
  });

  it('fails, resumable, when TMDB stays down', async () => {
    const cfg = config();
    const tmdb = servicesWithBreaker(cfg, createCircuitBreaker({ threshold: 2, cooldownMs: 50 }));
    fake.use(always({ destroy: true }));
    const error = await runTmdbSync({
      config: cfg,
      db: t.db,
      log: createMemoryLogger(),
      tmdb,
      maxOutageWaits: 2,
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/run again later to resume/);
    // Only the title without an IMDb id (nothing to ask TMDB) was done; the rest wait for next time.
    expect(await createEnrichmentRepository({ sql: t.db.sql }).pendingCount()).toBe(4);
  });

  it('--reset flags every title again and forgets what TMDB did not know', async () => {
    await sync();
    fake.requests.length = 0;
    const again = await sync({ reset: true });
    expect(again.stats).toMatchObject({ reset: 5, pending: 5, processed: 5 });
    expect(findsAsked()).toContain('tt9999999');
  });

  it('fails with a clear message when TMDB refuses the key, without the key in it', async () => {
    const key = 'refusedkey0123456789abcdef012345';
    const error = await sync({ env: { TMDB_API_KEY: key } }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/TMDB refused the key.*Invalid API key/);
    expect((error as Error).message).not.toContain(key);
    const [job] = await createSyncJobsRepository({ sql: t.db.sql }).list();
    expect(job).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(job)).not.toContain(key);
    expect(Boolean((await row(1))?.needs_backfill_tmdb)).toBe(true);
  });

  it('refuses to run without a key, and records why', async () => {
    await expect(sync({ env: {} })).rejects.toBeInstanceOf(TmdbNotConfiguredError);
    const [job] = await createSyncJobsRepository({ sql: t.db.sql }).list();
    expect(job).toMatchObject({ kind: 'tmdb', status: 'skipped' });
  });

  it('stops when cancelled; what was stored stays and the rest is resumed', async () => {
    const controller = new AbortController();
    fake.use((request) => {
      if (request.path === `/tv/${KNOWN.show.tmdbId}`) controller.abort();
      return undefined;
    });
    const error = await sync({ signal: controller.signal, concurrency: 1 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(CancelledError);
    const [job] = await createSyncJobsRepository({ sql: t.db.sql }).list();
    expect(job).toMatchObject({ status: 'cancelled' });
    fake.use(null);
    const rest = await sync();
    // Game of Thrones (most votes) was finished before the cancel took effect; not redone.
    expect(rest.stats.processed).toBe(4);
    expect(await row(0)).toMatchObject(STAR_WARS);
    expect(await row(1)).toMatchObject(GAME_OF_THRONES);
  });
});
