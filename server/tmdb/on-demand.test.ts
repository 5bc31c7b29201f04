import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestRepositories } from '../../test/databases.ts';
import { type FakeTmdb, KNOWN, recorded, startFakeTmdb } from '../../test/fake-tmdb/fake-tmdb.ts';
import { down, hang, slow } from '../../test/fake-tmdb/scenarios.ts';
import { seedTitles, titleRow } from '../../test/fake-tmdb/seed.ts';
import { createServer } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createMemoryLogger } from '../logger.ts';
import { createTmdbSettingsStore } from '../settings/tmdb-settings.store.ts';
import { createEnrichmentRepository } from './enrichment.repository.ts';
import { createOnDemandEnrichment, type OnDemandEnrichment } from './on-demand.ts';
import { createTmdbProvider } from './tmdb.provider.ts';

const TOKEN = 'on-demand-admin-token-0123456789';
const BUDGET_MS = 300;
// Room for the database and a loaded machine; TMDB itself takes 1.2 s or never answers here.
const SLACK_MS = 500;
const SENTINELS = /TMDB_NOT_FOUND|"none"/;

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
});
afterAll(() => fake.close());

describeEachDialect('on-demand TMDB enrichment', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestRepositories>>;
  let dataDir: string;
  let enrichment: OnDemandEnrichment;
  let app: ReturnType<typeof createServer>;
  let ids: { movie: number; show: number; unknown: number; showId: number; movieId: number };

  const build = (env: Record<string, string> = { TMDB_ACCESS_TOKEN: fake.token }) => {
    const config = loadConfig({
      MEDIACANON_DATA_DIR: dataDir,
      TMDB_API_URL: fake.url,
      TMDB_TIMEOUT_MS: '2000',
      ...env,
    });
    const store = createEnrichmentRepository({ sql: t.db.sql });
    const log = createMemoryLogger();
    const settings = createTmdbSettingsStore({ dataDir });
    const tmdb = createTmdbProvider({ tmdb: config.tmdb, settings, store, log });
    enrichment = createOnDemandEnrichment({ services: () => tmdb.current(), store, log, budgetMs: BUDGET_MS });
    app = createServer({ db: t.db, repositories: t, adminToken: TOKEN, log, enrichment, tmdb });
  };

  beforeEach(async () => {
    fake.use(null);
    fake.requests.length = 0;
    t = await openTestRepositories(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-on-demand-'));
    const [movie, show, unknown] = await seedTitles(t, t.db.sql, [
      { type: 'movie', name: 'Star Wars', imdbId: KNOWN.movie.imdbId, votes: 10 },
      {
        type: 'show',
        name: 'Game of Thrones',
        imdbId: KNOWN.show.imdbId,
        votes: 20,
        seasons: { 1: [1, 2, 3], 2: [1, 2] },
      },
      { type: 'movie', name: 'Unknown', imdbId: 'tt9999999', votes: 1 },
    ]);
    const found = await t.titles.findById(show as number);
    const foundMovie = await t.titles.findById(movie as number);
    ids = {
      movie: movie as number,
      show: show as number,
      unknown: unknown as number,
      showId: found?.show_id as number,
      movieId: foundMovie?.movie_id as number,
    };
    build();
  });
  afterEach(async () => {
    await enrichment.idle();
    t.carousels.stop();
    await t.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const timed = async (url: string) => {
    const started = performance.now();
    const response = await app.request(url);
    const text = await response.text();
    return { status: response.status, text, ms: performance.now() - started };
  };

  it('answers a movie with its poster when TMDB answers within the budget', async () => {
    const { status, text } = await timed(`/api/movies/${ids.movieId}`);
    expect(status).toBe(200);
    expect(JSON.parse(text).title).toMatchObject({
      tmdb_id: 11,
      image_url: 'https://image.tmdb.org/t/p/w500/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
      origin_country: 'US',
      release_date: '1977-05-25',
    });
    // Stored: the next view asks TMDB nothing.
    fake.requests.length = 0;
    await timed(`/api/titles/${ids.movie}`);
    expect(fake.requests).toHaveLength(0);
  });

  it('answers within the budget while TMDB is slow, and the next view has the data', async () => {
    fake.use(slow(1200));
    const first = await timed(`/api/movies/${ids.movieId}`);
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(JSON.parse(first.text).title.image_url).toBeUndefined();
    await enrichment.idle();
    const next = await timed(`/api/movies/${ids.movieId}`);
    expect(JSON.parse(next.text).title.image_url).toMatch(/^https:\/\/image\.tmdb\.org\/t\/p\/w500\//);
  });

  it('answers pages within the budget while TMDB hangs or is down, without errors', async () => {
    for (const scenario of [hang, down]) {
      fake.use(scenario);
      for (const url of [`/movies/${ids.movieId}`, `/shows/${ids.showId}`, `/api/shows/${ids.showId}`]) {
        const answer = await timed(url);
        expect(answer.status).toBe(200);
        expect(answer.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
        expect(answer.text).not.toMatch(SENTINELS);
      }
    }
  });

  it('fills a show and its episodes, at most once a day, with no sentinel in any answer', async () => {
    await timed(`/api/shows/${ids.showId}`);
    await enrichment.idle();
    const { text } = await timed(`/api/shows/${ids.showId}`);
    const show = JSON.parse(text);
    expect(show.title).toMatchObject({ tmdb_id: 1399, origin_country: 'US' });
    const [s1] = show.seasons;
    const tmdbFirst = recorded.season.episodes[0] as Record<string, unknown>;
    expect(s1.episodes[0]).toMatchObject({
      image_url: `https://image.tmdb.org/t/p/w400${tmdbFirst.still_path}`,
      air_date: tmdbFirst.air_date,
      runtime_minutes: tmdbFirst.runtime,
      synopsis: tmdbFirst.overview,
    });
    expect(text).not.toMatch(SENTINELS);
    expect((await titleRow(t.db.sql, ids.show))?.episodes_checked_at).toEqual(expect.any(String));
    fake.requests.length = 0;
    await timed(`/api/shows/${ids.showId}`);
    await enrichment.idle();
    expect(fake.requestsTo('episode')).toHaveLength(0);
  });

  it("falls back to TMDB's season 1 by absolute number when a whole season is missing there", async () => {
    await timed(`/api/shows/${ids.showId}`);
    await enrichment.idle();
    const show = JSON.parse((await timed(`/api/shows/${ids.showId}`)).text);
    const s2 = show.seasons.find((s: { season_number: number }) => s.season_number === 2);
    // Our season 2 follows 3 episodes of season 1: S2E1 is TMDB's S1E4, S2E2 its S1E5.
    const tmdb = recorded.season.episodes as Record<string, unknown>[];
    expect(s2.episodes.map((e: { display_name: string }) => e.display_name)).toEqual([tmdb[3]?.name, tmdb[4]?.name]);
    const asked = fake.requestsTo('episode').map((r) => r.path);
    expect(asked).toContain('/tv/1399/season/2/episode/1');
    expect(asked).toContain('/tv/1399/season/1/episode/4');
  });

  it('remembers a title TMDB does not know: no sentinel shown, not asked again', async () => {
    const first = await timed(`/api/titles/${ids.unknown}`);
    expect(first.status).toBe(200);
    expect(first.text).not.toMatch(SENTINELS);
    expect(JSON.parse(first.text).image_url).toBeUndefined();
    expect((await titleRow(t.db.sql, ids.unknown))?.tmdb_not_found_at).toEqual(expect.any(String));
    fake.requests.length = 0;
    await timed(`/api/titles/${ids.unknown}`);
    await enrichment.idle();
    expect(fake.requests).toHaveLength(0);
  });

  it('merges concurrent views of one title into one set of TMDB requests', async () => {
    fake.use(slow(100));
    const answers = await Promise.all(Array.from({ length: 6 }, () => timed(`/api/movies/${ids.movieId}`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await enrichment.idle();
    expect(fake.requestsTo('find')).toHaveLength(1);
    expect(fake.requestsTo('movie')).toHaveLength(1);
  });

  it('logs a refused key without the key, and answers as usual', async () => {
    const key = 'refusedondemandkey0123456789abcd';
    const log = createMemoryLogger();
    const config = loadConfig({ MEDIACANON_DATA_DIR: dataDir, TMDB_API_URL: fake.url, TMDB_API_KEY: key });
    const store = createEnrichmentRepository({ sql: t.db.sql });
    const tmdb = createTmdbProvider({ tmdb: config.tmdb, settings: createTmdbSettingsStore({ dataDir }), store, log });
    enrichment = createOnDemandEnrichment({ services: () => tmdb.current(), store, log, budgetMs: BUDGET_MS });
    app = createServer({ db: t.db, repositories: t, adminToken: TOKEN, log, enrichment, tmdb });
    const answer = await timed(`/api/movies/${ids.movieId}`);
    await enrichment.idle();
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain(key);
    expect(log.lines.some((line) => /Invalid API key/.test(line))).toBe(true);
    expect(log.lines.join('\n')).not.toContain(key);
  });

  it('asks TMDB nothing when it is not configured', async () => {
    build({});
    const answer = await timed(`/api/shows/${ids.showId}`);
    expect(answer.status).toBe(200);
    await enrichment.idle();
    expect(fake.requests).toHaveLength(0);
  });
});
