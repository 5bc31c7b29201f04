/**
 * A sync whose parent disappears (the server or the tray killed outright) stops instead of
 * running on alone, and its history row says why. On PostgreSQL only: there the import
 * awaits the database, so the cancel lands mid-run; a SQLite merge is one synchronous
 * transaction that nothing in the process can interrupt, so there the child ends when it
 * does (and a SIGKILL from the supervisor is what stops it early).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicsLine, ratingLine, writeDataset } from '../imdb/test-datasets.ts';
import { createTestTarget, type TestTarget } from '../imdb/test-targets.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';
import { forkJobChild } from './test-job-child.ts';

// Enough that the import outlasts the second the child gives a cancel before it exits
// (job-child.ts), however fast the machine: a run that finished first would succeed.
const TITLES = 200_000;

describe('IMDb sync child whose parent goes away [pg]', () => {
  let target: TestTarget;
  let work: string;
  beforeEach(async () => {
    target = await createTestTarget('pg');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-orphan-'));
    const basics: string[] = [];
    const ratings: string[] = [];
    for (let i = 1; i <= TITLES; i++) {
      const id = `tt${String(i).padStart(7, '0')}`;
      basics.push(basicsLine(id, 'movie', `Title ${i}`, { genres: 'Drama' }));
      ratings.push(ratingLine(id, '6.0', i));
    }
    await writeDataset(work, { basics, episodes: [], ratings });
  });
  afterEach(async () => {
    await target.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('cancels itself when the IPC channel closes, and records the run as cancelled', async () => {
    // Gone as soon as the import has really started: the first progress message.
    const { code } = await forkJobChild('imdb', {
      target: target.target,
      dataDir: work,
      args: ['--from-dir', work, '--force'],
      onMessage: (message, child) => {
        if (message.type === 'progress' && child.connected) child.disconnect();
      },
    });
    expect(code).not.toBe(0);

    const database = await target.open();
    try {
      const [run] = await createSyncJobsRepository({ sql: database.sql }).list(1);
      expect(run?.status).toBe('cancelled');
      expect(run?.error).toMatch(/went away/);
    } finally {
      await database.close();
    }
  }, 60_000);
});
