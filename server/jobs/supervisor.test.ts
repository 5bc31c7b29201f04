import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../http/errors.ts';
import { createMemoryLogger } from '../logger.ts';
import type { JobKind } from './job-children.ts';
import { FakeChild } from './supervisor.fakes.ts';
import { createJobSupervisor, type JobEvent, type JobSupervisorDeps } from './supervisor.ts';

function setup(options: Partial<JobSupervisorDeps> & { dieOnKill?: boolean } = {}) {
  const log = createMemoryLogger();
  const children: FakeChild[] = [];
  const forks: { modulePath: string; args: string[]; execArgv: string[] }[] = [];
  const events: JobEvent[] = [];
  const rebuild = vi.fn(async () => {});
  const interrupted: unknown[][] = [];
  const supervisor = createJobSupervisor({
    fork: (modulePath, args, forkOptions) => {
      forks.push({ modulePath, args, execArgv: forkOptions.execArgv });
      const child = new FakeChild(1000 + children.length, options.dieOnKill ?? true);
      children.push(child);
      return child;
    },
    log,
    execArgv: ['--import', 'tsx'],
    childModule: (kind: JobKind) => `/jobs/${kind}-sync.child.ts`,
    carousels: { rebuild },
    onInterrupted: async (...args) => {
      interrupted.push(args);
    },
    readyTimeoutMs: 1000,
    cancelGraceMs: 50,
    progressIntervalMs: 0,
    ...options,
  });
  supervisor.subscribe((event) => events.push(event));
  const finished = () => events.filter((e) => e.type === 'finished');
  return { supervisor, children, forks, events, finished, log, rebuild, interrupted };
}

describe('job supervisor', () => {
  it('runs a job through ready, progress and done, then rebuilds the carousels', async () => {
    const t = setup();
    const job = t.supervisor.start('imdb', { force: true, fromDir: '/data/sample' });
    expect(t.forks).toEqual([
      {
        modulePath: '/jobs/imdb-sync.child.ts',
        args: ['--from-dir', '/data/sample', '--force'],
        execArgv: ['--import', 'tsx'],
      },
    ]);
    const child = t.children[0] as FakeChild;
    child.message({ type: 'ready', kind: 'imdb', pid: 1000 });
    child.message({ type: 'progress', stage: 'load title.basics', done: 250, total: 1000, unit: 'bytes', rate: 50 });
    expect(t.supervisor.snapshot().running).toEqual([
      expect.objectContaining({
        kind: 'imdb',
        pid: 1000,
        ready: true,
        stage: 'load title.basics',
        percent: 25,
        rate: 50,
      }),
    ]);
    child.message({ type: 'done', status: 'succeeded', stats: { titles: 3 } });
    child.exit(0);
    const result = await job.finished;
    expect(result).toMatchObject({ kind: 'imdb', status: 'succeeded', stats: { titles: 3 } });
    expect(t.events.map((e) => e.type)).toEqual(['started', 'progress', 'finished']);
    expect(t.supervisor.snapshot()).toEqual({ running: [], last: { imdb: result } });
    expect(t.rebuild).toHaveBeenCalledTimes(1);
    expect(t.interrupted).toEqual([]);
  });

  it('runs one job per kind at a time, and kinds side by side', async () => {
    const t = setup();
    t.supervisor.start('imdb');
    expect(() => t.supervisor.start('imdb')).toThrow(
      expect.objectContaining({ status: 409, code: 'jobs.already_running' }),
    );
    t.supervisor.start('tmdb', { limit: 5, reset: true });
    expect(t.forks.map((f) => f.args)).toEqual([[], ['--reset', '--limit', '5']]);
    expect(t.supervisor.snapshot().running.map((j) => j.kind)).toEqual(['imdb', 'tmdb']);
    (t.children[0] as FakeChild).exit(0);
    await vi.waitFor(() => expect(t.finished()).toHaveLength(1));
    expect(() => t.supervisor.start('imdb')).not.toThrow();
  });

  it('refuses arguments a kind does not take, and a kind this build does not have', () => {
    const t = setup({ childModule: (kind) => (kind === 'imdb' ? '/jobs/imdb.ts' : null) });
    const tmdbAvailable = setup();
    expect(() => t.supervisor.start('imdb', { limit: 3 })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => t.supervisor.start('imdb', { reset: true })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => tmdbAvailable.supervisor.start('tmdb', { force: true })).toThrow(/tmdb: reset/);
    const unavailable = (() => {
      try {
        t.supervisor.start('tmdb');
      } catch (error) {
        return error;
      }
    })();
    expect(unavailable).toBeInstanceOf(AppError);
    expect(unavailable).toMatchObject({ status: 503, code: 'jobs.unavailable' });
    expect(t.forks).toEqual([]);
  });

  it('reports a child that exits without a result as crashed and closes its history row', async () => {
    const t = setup();
    const job = t.supervisor.start('imdb');
    const child = t.children[0] as FakeChild;
    child.message({ type: 'ready', kind: 'imdb', pid: 1000 });
    child.exit(null, 'SIGSEGV');
    expect(await job.finished).toMatchObject({
      status: 'crashed',
      error: 'the job was killed by SIGSEGV before reporting a result',
    });
    expect(t.interrupted).toEqual([['imdb', job.startedAt, 'failed', expect.stringContaining('SIGSEGV')]]);
    expect(t.rebuild).not.toHaveBeenCalled();
    expect(t.log.lines).toContainEqual(expect.stringMatching(/^WARN \[job imdb\] crashed/));
  });

  it('reports a child that could not be spawned as crashed', async () => {
    const t = setup();
    const job = t.supervisor.start('imdb');
    const child = t.children[0] as FakeChild;
    child.pid = undefined;
    child.emit('error', new Error('spawn ENOENT'));
    expect(await job.finished).toMatchObject({ status: 'crashed', error: expect.stringContaining('spawn ENOENT') });
    expect(t.supervisor.snapshot().running).toEqual([]);
  });

  it('answers 503 when the fork itself throws, and can start later', () => {
    let fail = true;
    const t = setup();
    const supervisor = createJobSupervisor({
      fork: () => {
        if (fail) throw new Error('EAGAIN: too many processes');
        return new FakeChild(7, true);
      },
      log: t.log,
      childModule: () => '/jobs/imdb.ts',
    });
    expect(() => supervisor.start('imdb')).toThrow(
      expect.objectContaining({ status: 503, code: 'jobs.fork_failed', message: expect.stringContaining('EAGAIN') }),
    );
    expect(supervisor.snapshot().running).toEqual([]);
    fail = false;
    expect(supervisor.start('imdb').pid).toBe(7);
  });

  it('kills a child that does not report ready in time', async () => {
    const t = setup({ readyTimeoutMs: 30 });
    const job = t.supervisor.start('imdb');
    const result = await job.finished;
    expect((t.children[0] as FakeChild).signals).toEqual(['SIGKILL']);
    expect(result).toMatchObject({ status: 'failed', error: 'the job did not report ready within 0.03 s' });
  });

  it('cancels: the child is asked, and reports itself cancelled', async () => {
    const t = setup();
    const job = t.supervisor.start('imdb');
    const child = t.children[0] as FakeChild;
    child.message({ type: 'ready', kind: 'imdb', pid: 1000 });
    expect(t.supervisor.cancel('imdb')).toBe(true);
    expect(t.supervisor.cancel('tmdb')).toBe(false);
    expect(child.sent).toEqual([{ type: 'cancel' }]);
    expect(t.supervisor.snapshot().running[0]).toMatchObject({ cancelling: true });
    child.message({ type: 'failed', error: 'cancelled', cancelled: true });
    child.exit(130);
    expect(await job.finished).toMatchObject({ status: 'cancelled', error: 'cancelled' });
    expect(child.signals).toEqual([]);
    expect(t.interrupted).toEqual([]);
  });

  it('SIGKILLs a child that ignores the cancel past the grace period', async () => {
    const t = setup({ cancelGraceMs: 20 });
    const job = t.supervisor.start('imdb');
    t.supervisor.cancel('imdb');
    const result = await job.finished;
    expect((t.children[0] as FakeChild).signals).toEqual(['SIGKILL']);
    expect(result).toMatchObject({ status: 'cancelled' });
    expect(t.interrupted).toEqual([['imdb', job.startedAt, 'cancelled', 'cancelled']]);
  });

  it('ends every child on quit, and starts nothing afterwards', async () => {
    const t = setup({ cancelGraceMs: 20 });
    t.supervisor.start('imdb');
    t.supervisor.start('tmdb');
    (t.children[1] as FakeChild).on('message', () => {});
    await t.supervisor.stopAll();
    expect(t.children.map((c) => c.sent)).toEqual([[{ type: 'cancel' }], [{ type: 'cancel' }]]);
    expect(t.children.map((c) => c.signals)).toEqual([['SIGKILL'], ['SIGKILL']]);
    expect(t.finished().map((e) => e.type === 'finished' && e.status)).toEqual(['cancelled', 'cancelled']);
    expect(() => t.supervisor.start('imdb')).toThrow(expect.objectContaining({ status: 503, code: 'jobs.stopping' }));
  });

  it('lets go of a child that does not even exit after SIGKILL', async () => {
    const t = setup({ cancelGraceMs: 10, dieOnKill: false });
    const job = t.supervisor.start('imdb');
    const started = Date.now();
    await t.supervisor.stopAll();
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await job.finished).status).toBe('cancelled');
  });

  it('pipes the child output and its log messages into the log with a prefix', async () => {
    const t = setup();
    t.supervisor.start('imdb');
    const child = t.children[0] as FakeChild;
    child.stdout.write('downloading\nhalf a li');
    child.stdout.write('ne\n');
    child.stderr.write('(node) a warning\n');
    child.message({ type: 'log', level: 'error', message: 'title.basics is truncated' });
    child.message({ type: 'bogus' });
    await sleep(10);
    expect(t.log.lines).toEqual(
      expect.arrayContaining([
        'INFO [job imdb] downloading',
        'INFO [job imdb] half a line',
        'WARN [job imdb] (node) a warning',
        'ERROR [job imdb] title.basics is truncated',
      ]),
    );
    expect(t.events.filter((e) => e.type === 'log')).toHaveLength(4);
  });

  it('sends progress at most once an interval per job, and the latest state last', async () => {
    const t = setup({ progressIntervalMs: 40 });
    t.supervisor.start('imdb');
    const child = t.children[0] as FakeChild;
    for (let done = 1; done <= 100; done++) child.message({ type: 'progress', stage: 'load', done, unit: 'rows' });
    await sleep(80);
    const progress = t.events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({ job: { stage: 'load', done: 100 } });
  });

  it('starts the TMDB backfill after an IMDb sync succeeds, when TMDB is configured', async () => {
    const t = setup({ tmdbEnabled: true });
    t.supervisor.start('imdb');
    (t.children[0] as FakeChild).message({ type: 'done', status: 'skipped', stats: {} });
    (t.children[0] as FakeChild).exit(0);
    await vi.waitFor(() => expect(t.finished()).toHaveLength(1));
    expect(t.forks).toHaveLength(1); // nothing changed: no backfill, no rebuild
    expect(t.rebuild).not.toHaveBeenCalled();

    t.supervisor.start('imdb');
    (t.children[1] as FakeChild).message({ type: 'done', status: 'succeeded', stats: {} });
    (t.children[1] as FakeChild).exit(0);
    await vi.waitFor(() => expect(t.forks.map((f) => f.modulePath)).toContain('/jobs/tmdb-sync.child.ts'));
    expect(t.supervisor.snapshot().running.map((j) => j.kind)).toEqual(['tmdb']);
  });

  it('asks whether TMDB is configured each time (a key can be entered while running)', async () => {
    let configured = false;
    const t = setup({ tmdbEnabled: () => configured });
    for (const expected of [[], ['tmdb']]) {
      t.supervisor.start('imdb');
      const child = t.children.at(-1) as FakeChild;
      child.message({ type: 'done', status: 'succeeded', stats: {} });
      child.exit(0);
      await vi.waitFor(() => expect(t.supervisor.snapshot().running.map((j) => j.kind)).toEqual(expected));
      configured = true;
    }
  });

  it('keeps going when a listener throws or the carousels fail to rebuild', async () => {
    const t = setup({ carousels: { rebuild: async () => Promise.reject(new Error('database closed')) } });
    t.supervisor.subscribe(() => {
      throw new Error('listener bug');
    });
    const job = t.supervisor.start('imdb');
    (t.children[0] as FakeChild).message({ type: 'done', status: 'succeeded', stats: {} });
    (t.children[0] as FakeChild).exit(0);
    expect((await job.finished).status).toBe('succeeded');
    await t.supervisor.stopAll();
    expect(t.log.lines).toContainEqual(expect.stringContaining('rebuilding the carousels failed'));
    expect(t.log.lines).toContainEqual(expect.stringContaining('job event listener failed on started'));
  });
});
