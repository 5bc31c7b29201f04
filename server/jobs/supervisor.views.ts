/**
 * What the supervisor tells its listeners and the admin API about jobs (plain JSON data),
 * and how it reads a child: its output line by line, its end as an outcome.
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { JobKind } from './job-children.ts';
import type { JobProgress } from './job-protocol.ts';
import type { Job } from './supervisor.ts';

export interface JobView {
  kind: JobKind;
  pid: number | null;
  startedAt: string;
  /** The child answered the ready handshake. */
  ready: boolean;
  /** A cancel was asked for and the child has not ended yet. */
  cancelling: boolean;
  stage: string;
  done: number;
  total?: number;
  unit: JobProgress['unit'];
  /** done / total in percent, one decimal, when the total is known. */
  percent?: number;
  rate?: number;
}

export type JobOutcome = 'succeeded' | 'skipped' | 'failed' | 'cancelled' | 'crashed';

export interface FinishedJobView {
  kind: JobKind;
  pid: number | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: JobOutcome;
  error?: string;
  /** What the child reported with its result (counts per stage). */
  stats?: unknown;
}

export type JobEvent =
  | { type: 'started'; job: JobView }
  | { type: 'progress'; job: JobView }
  | { type: 'log'; kind: JobKind; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'finished'; kind: JobKind; status: JobOutcome; durationMs: number; error?: string; job: FinishedJobView };

export function progressView({ stage, done, total, unit, rate }: JobProgress) {
  return {
    stage,
    done,
    unit,
    ...(total !== undefined && total > 0 && { total, percent: Math.min(100, Math.round((done / total) * 1000) / 10) }),
    ...(rate !== undefined && { rate }),
  };
}

/** How a child ended, from what it reported, what was asked of it and how it exited. */
export function outcomeOf(job: Job, readyTimeoutMs: number): Pick<FinishedJobView, 'status' | 'error' | 'stats'> {
  const { outcome } = job;
  if (outcome?.type === 'done') return { status: outcome.status, stats: outcome.stats };
  if (outcome?.type === 'failed') {
    return outcome.cancelled || job.cancelling
      ? { status: 'cancelled', error: outcome.error }
      : { status: 'failed', error: outcome.error };
  }
  if (job.cancelling) return { status: 'cancelled', error: 'cancelled' };
  if (job.readyTimedOut) {
    return { status: 'failed', error: `the job did not report ready within ${readyTimeoutMs / 1000} s` };
  }
  const how = job.spawnError
    ? `could not start: ${job.spawnError}`
    : job.exit?.signal
      ? `was killed by ${job.exit.signal}`
      : `exited with code ${job.exit?.code ?? 'unknown'}`;
  return { status: 'crashed', error: `the job ${how} before reporting a result` };
}

/** A child's stdout or stderr, line by line; blank lines dropped, a broken pipe ignored. */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void) {
  if (!stream) return;
  stream.on('error', () => {});
  readline.createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
    if (line.trim() !== '') onLine(line);
  });
}
