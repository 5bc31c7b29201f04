/**
 * A child that crashed or was killed never wrote the end of its sync_jobs row. The
 * supervisor closes it as soon as the child is gone (instead of at the next start), so the
 * history never shows a run as still going. Only the row of that run: same kind, started
 * since the child was forked, still 'running'.
 */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';

export function closeInterruptedRun(db: SqlRunner) {
  return async (kind: string, startedAt: string, status: 'failed' | 'cancelled', error: string) => {
    await db.run(sql`
      UPDATE sync_jobs SET status = ${status}, finished_at = ${new Date().toISOString()}, error = ${error}
      WHERE kind = ${kind} AND status = 'running' AND started_at >= ${startedAt}`);
  };
}
