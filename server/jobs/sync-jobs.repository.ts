/** Job history: a sync_jobs row per run, with counts per stage and the error if any. */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export interface SyncJobRecord {
  id: number;
  kind: string;
  status: JobStatus;
  started_at: string;
  finished_at: string | null;
  stats: unknown;
  error: string | null;
}

// PostgreSQL hands jsonb back parsed, SQLite as text.
const parseStats = (stats: unknown) => (typeof stats === 'string' ? JSON.parse(stats) : stats);

export function createSyncJobsRepository({ sql: db }: { sql: SqlRunner }) {
  return {
    async start(kind: string): Promise<number> {
      const row = await db.get<{ id: number }>(sql`
        INSERT INTO sync_jobs (kind, status, started_at) VALUES (${kind}, 'running', ${new Date().toISOString()})
        RETURNING id`);
      return row?.id as number;
    },

    /** stats is stored as JSON: jsonb on PostgreSQL (the parameter takes the column type), text on SQLite. */
    async finish(id: number, status: Exclude<JobStatus, 'running'>, stats: unknown, error: string | null = null) {
      await db.run(sql`
        UPDATE sync_jobs SET status = ${status}, finished_at = ${new Date().toISOString()},
          stats = ${stats === undefined ? null : JSON.stringify(stats)}, error = ${error}
        WHERE id = ${id}`);
    },

    /** Runs left 'running' by a crash or a kill are failed at the next start. */
    async failAbandoned(): Promise<number> {
      return db.run(sql`
        UPDATE sync_jobs SET status = 'failed', finished_at = ${new Date().toISOString()},
          error = 'interrupted: the process running it stopped before it finished'
        WHERE status = 'running'`);
    },

    async list(limit = 50): Promise<SyncJobRecord[]> {
      const rows = await db.all<SyncJobRecord>(sql`
        SELECT id, kind, status, started_at, finished_at, stats, error FROM sync_jobs
        ORDER BY started_at DESC, id DESC LIMIT ${limit}`);
      return rows.map((row) => ({ ...row, stats: parseStats(row.stats) }));
    },
  };
}

export type SyncJobsRepository = ReturnType<typeof createSyncJobsRepository>;
