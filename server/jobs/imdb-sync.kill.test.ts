/**
 * A sync killed with SIGKILL mid-load or mid-merge leaves the catalogue as the previous
 * snapshot, never half of each, and the next run completes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import type { DatabaseTarget } from '../config.ts';
import { basicsLine, episodeLine, ratingLine, writeDataset } from '../imdb/test-datasets.ts';
import { createTestTarget, type TestTarget } from '../imdb/test-targets.ts';
import type { JobMessage } from './job-protocol.ts';
import { forkJobChild, killWhen } from './test-job-child.ts';

const TITLES = 20_000;

/** A snapshot where every title's name carries the snapshot's version. */
function snapshot(version: string) {
  const basics: string[] = [];
  const episodes: string[] = [];
  const ratings: string[] = [];
  for (let i = 1; i <= TITLES; i++) {
    const id = `tt${String(i).padStart(7, '0')}`;
    basics.push(basicsLine(id, i % 4 === 0 ? 'tvSeries' : 'movie', `Title ${i} ${version}`, { genres: 'Drama' }));
    ratings.push(ratingLine(id, version === 'v1' ? '6.0' : '7.0', i));
    if (i % 4 === 0) {
      const episodeId = `tt${String(TITLES + i).padStart(7, '0')}`;
      basics.push(basicsLine(episodeId, 'tvEpisode', `Episode of ${i} ${version}`));
      episodes.push(episodeLine(episodeId, id, 1, 1));
    }
  }
  return { basics, episodes, ratings };
}

const runSync = (target: DatabaseTarget, dir: string, work: string, when?: (m: JobMessage) => boolean) =>
  forkJobChild('imdb', { target, dataDir: work, args: ['--from-dir', dir, '--force'], onMessage: killWhen(when) });

describeEachDialect('IMDb sync killed with SIGKILL', (dialect) => {
  let target: TestTarget;
  let work: string;
  beforeEach(async () => {
    target = await createTestTarget(dialect);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-kill-'));
    for (const version of ['v1', 'v2']) {
      fs.mkdirSync(path.join(work, version));
      await writeDataset(path.join(work, version), snapshot(version));
    }
  });
  afterEach(async () => {
    await target.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const versionsInCatalogue = async () => {
    const db = await target.open();
    try {
      const rows = await db.sql.all<{ version: string; n: number }>(sql`
        SELECT substr(display_name, length(display_name) - 1) AS version, count(*) AS n FROM titles GROUP BY 1`);
      const ratings = await db.sql.all<{ r: number }>(sql`SELECT DISTINCT average_rating AS r FROM titles`);
      return {
        names: Object.fromEntries(rows.map((r) => [r.version, Number(r.n)])),
        ratings: ratings.map((r) => Number(r.r)),
      };
    } finally {
      await db.close();
    }
  };

  it('answers reads during an import, each seeing one whole snapshot', async () => {
    await runSync(target.target, path.join(work, 'v1'), work);
    const db = await target.open();
    const seen = new Set<string>();
    let reads = 0;
    let importing = true;
    const reader = (async () => {
      while (importing) {
        const rows = await db.sql.all<{ version: string }>(sql`
          SELECT DISTINCT substr(display_name, length(display_name) - 1) AS version FROM titles`);
        seen.add(rows.map((r) => r.version).join('+'));
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const sync = await runSync(target.target, path.join(work, 'v2'), work);
    importing = false;
    await reader;
    await db.close();
    expect(sync.seen.filter((m) => m.type === 'failed' || m.type === 'done')).toEqual([
      { type: 'done', status: 'succeeded', stats: expect.anything() },
    ]);
    expect(reads).toBeGreaterThan(5);
    expect([...seen].every((versions) => versions === 'v1' || versions === 'v2')).toBe(true);
  });

  it('leaves a first import killed while merging stage by stage, and the next run completes it', async () => {
    const db = await target.open(); // migrated: the indexes and keys every import must leave
    const schema = () =>
      db.sql.all(
        dialect === 'pg'
          ? sql`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public'
                UNION ALL SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`
          : sql`SELECT sql AS def FROM sqlite_master ORDER BY name`,
      );
    const counts = async () => {
      const row = await db.sql.get<Record<string, number>>(sql`SELECT (SELECT count(*) FROM titles) AS titles,
        (SELECT count(*) FROM title_genres) AS links, (SELECT count(*) FROM show_episodes) AS episodes`);
      return Object.values(row ?? {}).map(Number);
    };
    try {
      const migrated = await schema();
      // On PostgreSQL the titles' stage is committed by the time the genre links go in.
      const killed = await runSync(
        target.target,
        path.join(work, 'v1'),
        work,
        (m) => m.type === 'progress' && m.stage === 'merge titleGenres',
      );
      expect(killed.signal).toBe('SIGKILL');
      // Each stage whole or not there, in order: titles, genre links, episodes.
      expect([
        [0, 0, 0],
        [TITLES, 0, 0],
        [TITLES, TITLES, 0],
        [TITLES, TITLES, TITLES / 4],
      ]).toContainEqual(await counts());

      const next = await runSync(target.target, path.join(work, 'v1'), work);
      expect(next.seen.at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
      expect(await counts()).toEqual([TITLES, TITLES, TITLES / 4]);
      expect(await schema()).toEqual(migrated);
    } finally {
      await db.close();
    }
  });

  it.each([
    ['while loading the files', (m: JobMessage) => m.type === 'progress' && m.stage.startsWith('load')],
    ['while merging', (m: JobMessage) => m.type === 'progress' && m.stage.startsWith('merge')],
  ])('keeps the previous snapshot when killed %s, and the next run completes', async (_when, killWhen) => {
    const first = await runSync(target.target, path.join(work, 'v1'), work);
    expect(first.seen.at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
    expect(await versionsInCatalogue()).toEqual({ names: { v1: TITLES }, ratings: [6] });

    const killed = await runSync(target.target, path.join(work, 'v2'), work, killWhen);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.seen.some((m) => m.type === 'done')).toBe(false);
    expect(await versionsInCatalogue()).toEqual({ names: { v1: TITLES }, ratings: [6] });

    const next = await runSync(target.target, path.join(work, 'v2'), work);
    expect(next.seen.at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
    expect(await versionsInCatalogue()).toEqual({ names: { v2: TITLES }, ratings: [7] });
  });
});
