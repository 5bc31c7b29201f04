import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../test/databases.ts';
import type { Database } from '../db/sql-runner.ts';
import { closeInterruptedRun } from './interrupted-runs.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

describeEachDialect('closing the history row of a run whose child died', (dialect) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(dialect);
  });
  afterEach(() => db.close());

  it('closes only the running row of that kind started since the child was forked', async () => {
    const jobs = createSyncJobsRepository({ sql: db.sql });
    const older = await jobs.start('imdb'); // another process's run, still going
    await new Promise((resolve) => setTimeout(resolve, 20));
    const forkedAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const crashed = await jobs.start('imdb');
    const otherKind = await jobs.start('tmdb');
    await closeInterruptedRun(db.sql)(
      'imdb',
      forkedAt,
      'failed',
      'the job was killed by SIGKILL before reporting a result',
    );
    const rows = await db.sql.all<{ id: number; status: string; error: string | null; finished: number }>(sql`
      SELECT id, status, error, CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END AS finished FROM sync_jobs ORDER BY id`);
    expect(rows.map((r) => ({ ...r, finished: Number(r.finished) }))).toEqual([
      { id: older, status: 'running', error: null, finished: 0 },
      { id: crashed, status: 'failed', error: 'the job was killed by SIGKILL before reporting a result', finished: 1 },
      { id: otherKind, status: 'running', error: null, finished: 0 },
    ]);
  });
});
