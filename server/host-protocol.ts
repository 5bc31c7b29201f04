/**
 * Messages between the tray's main process and the server it hosts in a child process
 * (server/host.child.ts). Plain data over Node's IPC channel; each side parses what it
 * receives and drops anything malformed instead of trusting it.
 *
 * child → parent: listening, listen-failed, jobs, job-event, job-refused, sign-in-url, token-rotated, log.
 * parent → child: start-job, cancel-job, sign-in-url-request, rotate-token, shutdown.
 */

import type { JobSupervisor } from './jobs/supervisor.ts';
import type { SyncJobRecord } from './jobs/sync-jobs.repository.ts';

/** One job as the tray shows it: what runs now, or how the last run of that kind ended. */
export interface JobView {
  kind: string;
  state: 'running' | 'succeeded' | 'skipped' | 'failed' | 'cancelled';
  /** What the job is doing, e.g. "download title.basics". */
  stage: string | null;
  /** 0–100 when the stage's total is known. */
  percent: number | null;
  error: string | null;
  /** ISO 8601; null while running. */
  finishedAt: string | null;
}

/** A job started or ended: what a notification needs. */
export type JobEventView =
  | { type: 'started'; kind: string }
  | { type: 'finished'; kind: string; status: JobOutcomeView; error: string | null };

export type JobOutcomeView = 'succeeded' | 'skipped' | 'failed' | 'cancelled' | 'crashed';
const OUTCOMES = new Set(['succeeded', 'skipped', 'failed', 'cancelled', 'crashed']);

export type HostMessage =
  | { type: 'listening'; url: string; port: number }
  | { type: 'listen-failed'; code: string; message: string }
  | { type: 'jobs'; jobs: JobView[] }
  | { type: 'job-event'; event: JobEventView }
  /** A start the supervisor refused (already running, shutting down, not in this build). */
  | { type: 'job-refused'; kind: string; reason: string }
  | { type: 'sign-in-url'; url: string | null; requestId: number }
  | { type: 'token-rotated' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type HostCommand =
  | { type: 'start-job'; kind: string; force: boolean }
  | { type: 'cancel-job'; kind: string }
  | { type: 'sign-in-url-request'; requestId: number }
  | { type: 'rotate-token' }
  | { type: 'shutdown' };

const JOB_STATES = new Set(['running', 'succeeded', 'skipped', 'failed', 'cancelled']);
const LEVELS = new Set(['info', 'warn', 'error']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';
const stringOrNull = (value: unknown): string | null => (isString(value) ? value : null);
const isPort = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;

export function parseJobView(value: unknown): JobView | null {
  if (!isObject(value) || !isString(value.kind) || !JOB_STATES.has(value.state as string)) return null;
  const percent =
    typeof value.percent === 'number' && Number.isFinite(value.percent)
      ? Math.min(100, Math.max(0, value.percent))
      : null;
  return {
    kind: value.kind,
    state: value.state as JobView['state'],
    stage: stringOrNull(value.stage),
    percent,
    error: stringOrNull(value.error),
    finishedAt: stringOrNull(value.finishedAt),
  };
}

/**
 * The supervisor's snapshot as the tray shows it: each running job with its stage and
 * percentage, then the last finished run of each kind not running now. A crash is a
 * failure to the owner.
 */
export function jobViewsFromSnapshot(
  snapshot: ReturnType<JobSupervisor['snapshot']>,
  /** Runs from before this process started (sync_jobs), for kinds it has not run yet. */
  earlier: JobView[] = [],
): JobView[] {
  const running: JobView[] = snapshot.running.map((job) => ({
    kind: job.kind,
    state: 'running',
    stage: job.stage || null,
    percent: job.percent ?? null,
    error: null,
    finishedAt: null,
  }));
  const finished: JobView[] = Object.values(snapshot.last)
    .filter((job) => job !== undefined && !snapshot.running.some((r) => r.kind === job.kind))
    .map((job) => ({
      kind: job.kind,
      state: job.status === 'crashed' ? 'failed' : job.status,
      stage: null,
      percent: null,
      error: job.error ?? null,
      finishedAt: job.finishedAt,
    }));
  const known = new Set([...running, ...finished].map((job) => job.kind));
  return [...running, ...finished, ...earlier.filter((job) => !known.has(job.kind))];
}

/** The last finished run of each kind in the job history (newest first), as the tray shows it. */
export function jobViewsFromHistory(rows: Pick<SyncJobRecord, 'kind' | 'status' | 'finished_at' | 'error'>[]) {
  const views = new Map<string, JobView>();
  for (const row of rows) {
    if (row.status === 'running' || views.has(row.kind)) continue;
    views.set(row.kind, {
      kind: row.kind,
      state: row.status,
      stage: null,
      percent: null,
      error: row.error,
      finishedAt: row.finished_at,
    });
  }
  return [...views.values()];
}

function parseJobEvent(value: unknown): JobEventView | null {
  if (!isObject(value) || !isString(value.kind)) return null;
  if (value.type === 'started') return { type: 'started', kind: value.kind };
  if (value.type === 'finished' && OUTCOMES.has(value.status as string)) {
    return {
      type: 'finished',
      kind: value.kind,
      status: value.status as JobOutcomeView,
      error: stringOrNull(value.error),
    };
  }
  return null;
}

export function parseHostMessage(value: unknown): HostMessage | null {
  if (!isObject(value) || !isString(value.type)) return null;
  switch (value.type) {
    case 'listening':
      return isString(value.url) && /^https?:\/\//.test(value.url) && isPort(value.port)
        ? { type: 'listening', url: value.url, port: value.port }
        : null;
    case 'listen-failed':
      return isString(value.code) && isString(value.message)
        ? { type: 'listen-failed', code: value.code, message: value.message }
        : null;
    case 'jobs': {
      if (!Array.isArray(value.jobs)) return null;
      const jobs = value.jobs.map(parseJobView);
      return jobs.every((job) => job !== null) ? { type: 'jobs', jobs: jobs as JobView[] } : null;
    }
    case 'job-event': {
      const event = parseJobEvent(value.event);
      return event ? { type: 'job-event', event } : null;
    }
    case 'sign-in-url':
      return (value.url === null || (isString(value.url) && /^https?:\/\//.test(value.url))) &&
        typeof value.requestId === 'number'
        ? { type: 'sign-in-url', url: value.url, requestId: value.requestId }
        : null;
    case 'job-refused':
      return isString(value.kind) && isString(value.reason)
        ? { type: 'job-refused', kind: value.kind, reason: value.reason }
        : null;
    case 'token-rotated':
      return { type: 'token-rotated' };
    case 'log':
      return LEVELS.has(value.level as string) && isString(value.message)
        ? { type: 'log', level: value.level as 'info' | 'warn' | 'error', message: value.message }
        : null;
    default:
      return null;
  }
}

export function parseHostCommand(value: unknown): HostCommand | null {
  if (!isObject(value) || !isString(value.type)) return null;
  switch (value.type) {
    case 'start-job':
      return isString(value.kind) && (value.force === undefined || typeof value.force === 'boolean')
        ? { type: 'start-job', kind: value.kind, force: value.force === true }
        : null;
    case 'cancel-job':
      return isString(value.kind) ? { type: 'cancel-job', kind: value.kind } : null;
    case 'sign-in-url-request':
      return typeof value.requestId === 'number' ? { type: 'sign-in-url-request', requestId: value.requestId } : null;
    case 'rotate-token':
      return { type: 'rotate-token' };
    case 'shutdown':
      return { type: 'shutdown' };
    default:
      return null;
  }
}
