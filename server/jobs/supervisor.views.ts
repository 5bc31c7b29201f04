/** What the supervisor tells its listeners and the admin API about jobs: plain JSON data. */
import type { JobKind } from './job-children.ts';
import type { JobProgress } from './job-protocol.ts';

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
