/**
 * Messages between a sync job running as a child process and its parent (the tray's or
 * the server's supervisor). Plain data over Node's IPC channel; parsed, never trusted.
 *
 * child → parent: ready, progress, log, done, failed.   parent → child: cancel.
 */

export interface JobProgress {
  /** What the job is doing, e.g. "download title.basics", "load", "merge titles". */
  stage: string;
  /** Units done in this stage (bytes, rows), and the estimated total when known. */
  done: number;
  total?: number;
  unit: 'bytes' | 'rows' | 'steps';
  /** Units per second over the stage so far. */
  rate?: number;
}

export type JobMessage =
  | { type: 'ready'; kind: string; pid: number }
  | ({ type: 'progress' } & JobProgress)
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; status: 'succeeded' | 'skipped'; stats: unknown }
  | { type: 'failed'; error: string; cancelled: boolean };

export type ParentMessage = { type: 'cancel' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function parseJobMessage(value: unknown): JobMessage | null {
  if (!isObject(value) || typeof value.type !== 'string') return null;
  switch (value.type) {
    case 'ready':
      return typeof value.kind === 'string' && typeof value.pid === 'number' ? (value as JobMessage) : null;
    case 'progress':
      return typeof value.stage === 'string' && typeof value.done === 'number' ? (value as JobMessage) : null;
    case 'log':
      return typeof value.message === 'string' && ['info', 'warn', 'error'].includes(value.level as string)
        ? (value as JobMessage)
        : null;
    case 'done':
      return value.status === 'succeeded' || value.status === 'skipped' ? (value as JobMessage) : null;
    case 'failed':
      return typeof value.error === 'string' ? ({ cancelled: false, ...value } as JobMessage) : null;
    default:
      return null;
  }
}

export const isCancel = (value: unknown): value is ParentMessage => isObject(value) && value.type === 'cancel';
