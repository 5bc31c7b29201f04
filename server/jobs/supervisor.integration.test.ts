/**
 * The wiring, end to end: the supervisor forks the real IMDb sync child (through tsx, with
 * the configuration handed down in its environment) on the bundled sample, into a
 * temporary SQLite database.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import { createMemoryLogger } from '../logger.ts';
import { JOB_EXEC_ARGV, jobChildModule, jobEnvironment } from './job-children.ts';
import { createJobSupervisor, type JobEvent } from './supervisor.ts';

const SAMPLE_DIR = path.join(import.meta.dirname, '../../data/imdb-sample');

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-supervisor-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

it('forks the real IMDb sync child and imports the bundled sample', async () => {
  const config = loadConfig({ MEDIACANON_DATA_DIR: work, MEDIACANON_SAMPLE: 'off' });
  const log = createMemoryLogger();
  let rebuilds = 0;
  const supervisor = createJobSupervisor({
    fork: (modulePath, args, options) => fork(modulePath, args, options),
    log,
    execArgv: JOB_EXEC_ARGV,
    env: jobEnvironment(config, { PATH: process.env.PATH }),
    readyTimeoutMs: 60_000,
    carousels: {
      rebuild: async () => {
        rebuilds++;
      },
    },
  });
  const events: JobEvent['type'][] = [];
  supervisor.subscribe((event) => events.push(event.type));

  const job = supervisor.start('imdb', { fromDir: SAMPLE_DIR });
  expect(job.pid).toEqual(expect.any(Number));
  const result = await job.finished;
  expect(result, log.lines.join('\n')).toMatchObject({ kind: 'imdb', status: 'succeeded' });
  expect(events[0]).toBe('started');
  expect(events).toContain('progress');
  expect(events.at(-1)).toBe('finished');
  expect(rebuilds).toBe(1);

  const db = await openDatabase(config.database);
  try {
    const titles = await db.sql.get<{ n: number }>(sql`SELECT count(*) AS n FROM titles`);
    expect(Number(titles?.n)).toBeGreaterThan(1000);
    const runs = await db.sql.all<{ kind: string; status: string }>(sql`SELECT kind, status FROM sync_jobs`);
    expect(runs).toEqual([{ kind: 'imdb', status: 'succeeded' }]);
  } finally {
    await db.close();
  }
  await supervisor.stopAll();
}, 120_000);

it('forks the real TMDB child, which fails with a reason (not a crash) without a TMDB key', async () => {
  const config = loadConfig({ MEDIACANON_DATA_DIR: work, MEDIACANON_SAMPLE: 'off' });
  const log = createMemoryLogger();
  const supervisor = createJobSupervisor({
    fork: (modulePath, args, options) => fork(modulePath, args, options),
    log,
    execArgv: JOB_EXEC_ARGV,
    env: jobEnvironment(config, { PATH: process.env.PATH }),
    readyTimeoutMs: 60_000,
  });
  const result = await supervisor.start('tmdb', { limit: 5 }).finished;
  expect(result, log.lines.join('\n')).toMatchObject({
    kind: 'tmdb',
    status: 'failed',
    error: expect.stringMatching(/TMDB/i),
  });
}, 120_000);

it('knows where each child module is', () => {
  expect(jobChildModule('imdb')).toMatch(/imdb-sync\.child\.ts$/);
  expect(jobChildModule('tmdb')).toMatch(/tmdb-sync\.child\.ts$/);
});
