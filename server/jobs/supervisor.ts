/**
 * The job supervisor (DESIGN section 2, issue 7): sync jobs run as child processes, one
 * per kind at a time, with a ready handshake raced against a timeout, progress messages,
 * cancel (a message first, SIGKILL after a grace period), and the child's output piped
 * into the log with a `[job <kind>]` prefix. A crash is reported as an event, never
 * thrown; stopAll() ends every child on quit. Plain Node with `fork` injected: the
 * headless server and the tray use the same supervisor, and tests drive it with a fake.
 *
 * After an IMDb sync succeeds the carousels are rebuilt and, when TMDB is configured,
 * the TMDB backfill starts.
 */
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { AppError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import { type JobKind, type JobStartArgs, jobChildArgs, jobChildModule } from './job-children.ts';
import { type JobMessage, type JobProgress, type ParentMessage, parseJobMessage } from './job-protocol.ts';
import {
  type FinishedJobView,
  forEachLine,
  type JobEvent,
  type JobView,
  outcomeOf,
  progressView,
} from './supervisor.views.ts';

export type { JobKind, JobStartArgs } from './job-children.ts';
export type { FinishedJobView, JobEvent, JobView } from './supervisor.views.ts';

/** What the supervisor uses of a ChildProcess; tests pass an EventEmitter with these. */
export interface JobChild extends EventEmitter {
  pid?: number;
  connected?: boolean;
  stdout: Readable | null;
  stderr: Readable | null;
  send(message: ParentMessage): boolean;
  kill(signal?: NodeJS.Signals): boolean;
}

export type ForkJob = (
  modulePath: string,
  args: string[],
  options: { execArgv: string[]; env: NodeJS.ProcessEnv; stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
) => JobChild;

export interface RunningJob {
  kind: JobKind;
  pid: number | null;
  startedAt: string;
  view(): JobView;
  /** Settles when the child has ended, however it ended; never rejects. */
  finished: Promise<FinishedJobView>;
}

export interface JobSupervisor {
  /** Throws AppError 409 when a job of that kind is running. */
  start(kind: JobKind, args?: JobStartArgs): RunningJob;
  /** False when no job of that kind is running. */
  cancel(kind: JobKind): boolean;
  snapshot(): { running: JobView[]; last: Partial<Record<JobKind, FinishedJobView>> };
  subscribe(listener: (event: JobEvent) => void): () => void;
  /** Cancels every job, waits the grace period, then SIGKILLs; no job starts afterwards. */
  stopAll(): Promise<void>;
}

export interface JobSupervisorDeps {
  fork: ForkJob;
  log: Logger;
  /** Node flags for the child (tsx registration); see job-children.ts. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** The module a kind runs, or null when this build has none. */
  childModule?: (kind: JobKind) => string | null;
  readyTimeoutMs?: number;
  cancelGraceMs?: number;
  /** Progress events are sent at most this often per job (children report per chunk). */
  progressIntervalMs?: number;
  /** Start the TMDB backfill after an IMDb sync succeeds; asked each time (a key can be set while running). */
  tmdbEnabled?: boolean | (() => boolean);
  carousels?: { rebuild(): Promise<unknown> };
  /** Closes the sync_jobs row of a run whose child ended without reporting (crash, kill). */
  onInterrupted?: (kind: JobKind, startedAt: string, status: 'failed' | 'cancelled', error: string) => Promise<void>;
  now?: () => number;
}

export interface Job {
  kind: JobKind;
  child: JobChild;
  startedAt: number;
  ready: boolean;
  progress: JobProgress;
  outcome: Extract<JobMessage, { type: 'done' | 'failed' }> | null;
  cancelling: boolean;
  readyTimedOut: boolean;
  spawnError: string | null;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  timers: Set<NodeJS.Timeout>;
  lastProgressAt: number;
  progressPending: boolean;
  ended: boolean;
  resolve: (view: FinishedJobView) => void;
  finished: Promise<FinishedJobView>;
}

/** How long to wait for 'close' (pipes drained) after 'exit', and after a SIGKILL. */
const EXIT_SETTLE_MS = 2000;

export function createJobSupervisor(deps: JobSupervisorDeps): JobSupervisor {
  const {
    fork,
    log,
    execArgv = [],
    env = process.env,
    childModule = jobChildModule,
    readyTimeoutMs = 30_000,
    cancelGraceMs = 5_000,
    progressIntervalMs = 250,
    now = Date.now,
  } = deps;
  const running = new Map<JobKind, Job>();
  const last: Partial<Record<JobKind, FinishedJobView>> = {};
  const listeners = new Set<(event: JobEvent) => void>();
  const afterwards = new Set<Promise<unknown>>();
  let stopping = false;

  const emit = (event: JobEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error(`job event listener failed on ${event.type}`, error);
      }
    }
  };

  const view = (job: Job): JobView => ({
    kind: job.kind,
    pid: job.child.pid ?? null,
    startedAt: new Date(job.startedAt).toISOString(),
    ready: job.ready,
    cancelling: job.cancelling,
    ...progressView(job.progress),
  });

  const later = (job: Job, ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      job.timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    job.timers.add(timer);
  };

  const kill = (job: Job) => {
    try {
      job.child.kill('SIGKILL');
    } catch (error) {
      log.warn(`[job ${job.kind}] could not be killed`, error);
    }
    // A child that does not even report its exit is let go of, not waited on forever.
    later(job, EXIT_SETTLE_MS, () => end(job));
  };

  const emitProgress = (job: Job) => {
    job.progressPending = false;
    job.lastProgressAt = now();
    if (!job.ended) emit({ type: 'progress', job: view(job) });
  };

  function onMessage(job: Job, message: JobMessage | null) {
    if (!message) return;
    switch (message.type) {
      case 'ready':
        job.ready = true;
        return;
      case 'progress': {
        const { type: _type, ...progress } = message;
        const stageChanged = progress.stage !== job.progress.stage;
        job.progress = progress;
        if (stageChanged || now() - job.lastProgressAt >= progressIntervalMs) emitProgress(job);
        else if (!job.progressPending) {
          job.progressPending = true;
          later(job, progressIntervalMs, () => emitProgress(job));
        }
        return;
      }
      case 'log':
        logLine(job.kind, message.level, message.message);
        return;
      default:
        job.outcome = message;
    }
  }

  function logLine(kind: JobKind, level: 'info' | 'warn' | 'error', message: string) {
    log[level](`[job ${kind}] ${message}`);
    emit({ type: 'log', kind, level, message });
  }

  function end(job: Job) {
    if (job.ended) return;
    job.ended = true;
    for (const timer of job.timers) clearTimeout(timer);
    job.timers.clear();
    running.delete(job.kind);
    const finishedAt = now();
    const finished: FinishedJobView = {
      kind: job.kind,
      pid: job.child.pid ?? null,
      startedAt: new Date(job.startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - job.startedAt,
      ...outcomeOf(job, readyTimeoutMs),
    };
    last[job.kind] = finished;
    const level = finished.status === 'succeeded' || finished.status === 'skipped' ? 'info' : 'warn';
    log[level](`[job ${job.kind}] ${finished.status}${finished.error ? `: ${finished.error}` : ''}`);
    if (!job.outcome && deps.onInterrupted) {
      const status = finished.status === 'cancelled' ? 'cancelled' : 'failed';
      track(
        deps.onInterrupted(job.kind, finished.startedAt, status, finished.error ?? status),
        'closing its history row',
      );
    }
    emit({
      type: 'finished',
      kind: job.kind,
      status: finished.status,
      durationMs: finished.durationMs,
      ...(finished.error && { error: finished.error }),
      job: finished,
    });
    job.resolve(finished);
    if (finished.status === 'succeeded') afterSuccess(job.kind);
  }

  function track(work: Promise<unknown>, what: string) {
    const tracked = work
      .catch((error) => log.error(`after a job: ${what} failed`, error))
      .finally(() => afterwards.delete(tracked));
    afterwards.add(tracked);
  }

  function afterSuccess(kind: JobKind) {
    if (stopping) return;
    if (deps.carousels) track(deps.carousels.rebuild(), 'rebuilding the carousels');
    const tmdbEnabled = typeof deps.tmdbEnabled === 'function' ? deps.tmdbEnabled() : deps.tmdbEnabled;
    if (kind !== 'imdb' || !tmdbEnabled || running.has('tmdb')) return;
    try {
      start('tmdb');
    } catch (error) {
      log.warn(`the TMDB backfill after the IMDb sync did not start: ${(error as Error).message}`);
    }
  }

  function start(kind: JobKind, args: JobStartArgs = {}): RunningJob {
    if (stopping) throw new AppError(503, 'jobs.stopping', 'the server is shutting down; no job starts now');
    const current = running.get(kind);
    if (current) {
      throw new AppError(409, 'jobs.already_running', `a ${kind} job is already running (pid ${current.child.pid})`);
    }
    const modulePath = childModule(kind);
    if (!modulePath) throw new AppError(503, 'jobs.unavailable', `the ${kind} job is not available in this build`);
    const argv = jobChildArgs(kind, args);
    let child: JobChild;
    try {
      child = fork(modulePath, argv, { execArgv, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    } catch (error) {
      throw new AppError(503, 'jobs.fork_failed', `the ${kind} job could not start: ${(error as Error).message}`);
    }
    let resolve: (view: FinishedJobView) => void = () => {};
    const finished = new Promise<FinishedJobView>((r) => {
      resolve = r;
    });
    const job: Job = {
      kind,
      child,
      startedAt: now(),
      ready: false,
      progress: { stage: 'starting', done: 0, unit: 'steps' },
      outcome: null,
      cancelling: false,
      readyTimedOut: false,
      spawnError: null,
      exit: null,
      timers: new Set(),
      lastProgressAt: 0,
      progressPending: false,
      ended: false,
      resolve,
      finished,
    };
    running.set(kind, job);
    child.on('message', (raw) => onMessage(job, parseJobMessage(raw)));
    child.on('error', (error: Error) => {
      // Spawning failed (no 'exit' follows), or a message could not be sent (it will exit).
      if (child.pid === undefined) {
        job.spawnError = error.message;
        end(job);
      } else log.warn(`[job ${kind}] ${error.message}`);
    });
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      job.exit = { code, signal };
      later(job, EXIT_SETTLE_MS, () => end(job));
    });
    // 'close' comes once the pipes are drained, so the last messages and lines are in.
    child.on('close', () => end(job));
    forEachLine(child.stdout, (line) => logLine(kind, 'info', line));
    forEachLine(child.stderr, (line) => logLine(kind, 'warn', line));
    later(job, readyTimeoutMs, () => {
      // A cancel has its own deadline.
      if (job.ready || job.ended || job.cancelling) return;
      job.readyTimedOut = true;
      log.error(`[job ${kind}] did not report ready within ${readyTimeoutMs} ms: killing it`);
      kill(job);
    });
    log.info(`[job ${kind}] started (pid ${child.pid ?? '?'}${argv.length > 0 ? `, ${argv.join(' ')}` : ''})`);
    emit({ type: 'started', job: view(job) });
    return { kind, pid: child.pid ?? null, startedAt: view(job).startedAt, view: () => view(job), finished };
  }

  return {
    start,
    cancel(kind) {
      const job = running.get(kind);
      if (!job) return false;
      if (job.cancelling) return true;
      job.cancelling = true;
      log.info(`[job ${kind}] cancelling`);
      try {
        if (job.child.connected !== false) job.child.send({ type: 'cancel' });
      } catch (error) {
        log.warn(`[job ${kind}] cancel message not delivered`, error);
      }
      later(job, cancelGraceMs, () => {
        log.warn(`[job ${kind}] still running ${cancelGraceMs} ms after cancel: SIGKILL`);
        kill(job);
      });
      emit({ type: 'progress', job: view(job) });
      return true;
    },
    snapshot: () => ({ running: [...running.values()].map(view), last: { ...last } }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stopAll() {
      stopping = true;
      const jobs = [...running.values()];
      for (const job of jobs) this.cancel(job.kind);
      await Promise.all(jobs.map((job) => job.finished));
      await Promise.allSettled([...afterwards]);
    },
  };
}
