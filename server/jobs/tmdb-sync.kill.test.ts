/**
 * The TMDB backfill as a child process (job-protocol.ts), killed with SIGKILL mid-run: what
 * it stored stays, and the next run enriches only the titles left — resumable after a kill.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import { type FakeTmdb, recorded, startFakeTmdb } from '../../test/fake-tmdb/fake-tmdb.ts';
import { slow } from '../../test/fake-tmdb/scenarios.ts';
import { seedTitles } from '../../test/fake-tmdb/seed.ts';
import type { DatabaseTarget } from '../config.ts';
import { createTestTarget, type TestTarget } from '../imdb/test-targets.ts';
import { createRepositories } from '../repositories.ts';
import type { JobMessage } from './job-protocol.ts';
import { forkJobChild, killWhen } from './test-job-child.ts';

const TITLES = 24;
const imdbId = (i: number) => `tt${String(5_000_000 + i)}`;

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
  for (let i = 1; i <= TITLES; i++) {
    fake.catalogue.addMovie(imdbId(i), { ...recorded.movie, id: 100 + i, poster_path: `/poster-${i}.jpg` });
  }
});
afterAll(() => fake.close());

const runChild = (target: DatabaseTarget, work: string, when?: (m: JobMessage) => boolean) =>
  forkJobChild('tmdb', {
    target,
    dataDir: work,
    env: { TMDB_API_URL: fake.url, TMDB_ACCESS_TOKEN: fake.token, TMDB_API_KEY: '', TMDB_RATE_LIMIT: '1000' },
    onMessage: killWhen(when),
  });

describeEachDialect('TMDB backfill killed with SIGKILL', (dialect) => {
  let target: TestTarget;
  let work: string;
  beforeEach(async () => {
    fake.requests.length = 0;
    target = await createTestTarget(dialect);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-tmdb-kill-'));
    const db = await target.open();
    const repositories = createRepositories(db);
    await seedTitles(
      repositories,
      db.sql,
      Array.from({ length: TITLES }, (_, i) => ({
        type: 'movie' as const,
        name: `Movie ${i + 1}`,
        imdbId: imdbId(i + 1),
        votes: 1000 - i,
      })),
    );
    repositories.carousels.stop();
    await db.close();
  });
  afterEach(async () => {
    await target.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const enriched = async () => {
    const db = await target.open();
    try {
      const rows = await db.sql.all<{ n: number }>(sql`
        SELECT count(*) AS n FROM titles WHERE tmdb_id IS NOT NULL AND needs_backfill_tmdb = ${false}`);
      return Number(rows[0]?.n);
    } finally {
      await db.close();
    }
  };

  it('keeps what it stored and resumes with the titles left', async () => {
    fake.use(slow(40));
    const killed = await runChild(target.target, work, (m) => m.type === 'progress' && m.done >= 6);
    expect(killed.signal).toBe('SIGKILL');
    const before = await enriched();
    expect(before).toBeGreaterThanOrEqual(6);
    expect(before).toBeLessThan(TITLES);

    fake.requests.length = 0;
    const resumed = await runChild(target.target, work);
    const done = resumed.seen.find((m) => m.type === 'done');
    expect(done).toMatchObject({ status: 'succeeded', stats: { processed: TITLES - before } });
    expect(await enriched()).toBe(TITLES);
    // Titles stored before the kill are not asked for again.
    expect(fake.requestsTo('find')).toHaveLength(TITLES - before);
  }, 60_000);
});
