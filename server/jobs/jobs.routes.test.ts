import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../../test/app.ts';
import { openTestDatabase } from '../../test/databases.ts';
import { createServer } from '../app.ts';
import type { Database } from '../db/sql-runner.ts';
import { createMemoryLogger } from '../logger.ts';
import { createRepositories } from '../repositories.ts';
import { FakeChild } from './supervisor.fakes.ts';
import { createJobSupervisor, type JobSupervisor } from './supervisor.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

const admin = { authorization: `Bearer ${TEST_TOKEN}` };
const json = { ...admin, 'content-type': 'application/json' };

describe('admin jobs API', () => {
  let db: Database;
  let children: FakeChild[];
  let forks: string[][];
  let jobs: JobSupervisor;
  let subscribed: number;
  let shutdown: AbortController;
  let app: ReturnType<typeof createServer>;

  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
    children = [];
    forks = [];
    subscribed = 0;
    shutdown = new AbortController();
    const supervisor = createJobSupervisor({
      fork: (_module, args) => {
        forks.push(args);
        const child = new FakeChild(2000 + children.length, true);
        children.push(child);
        return child;
      },
      log: createMemoryLogger(),
      childModule: (kind) => `/jobs/${kind}.ts`,
      cancelGraceMs: 20,
      progressIntervalMs: 0,
    });
    // Counts live subscriptions, to see event streams let go of theirs.
    jobs = {
      ...supervisor,
      subscribe(listener) {
        subscribed++;
        const unsubscribe = supervisor.subscribe(listener);
        return () => {
          subscribed--;
          return unsubscribe();
        };
      },
    };
    app = createServer({
      db,
      repositories: createRepositories(db),
      adminToken: TEST_TOKEN,
      log: createMemoryLogger(),
      jobs,
      shutdown: shutdown.signal,
    });
  });
  afterEach(async () => {
    await jobs.stopAll();
    await db.close();
  });

  const post = (path: string, body?: unknown, headers: Record<string, string> = json) =>
    app.request(path, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });

  it('is for the owner only', async () => {
    for (const [method, path] of [
      ['GET', '/api/admin/jobs'],
      ['GET', '/api/admin/jobs/events'],
      ['POST', '/api/admin/jobs/imdb'],
      ['POST', '/api/admin/jobs/imdb/cancel'],
    ]) {
      const res = await app.request(path as string, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect(forks).toEqual([]);
  });

  it('lists running jobs, the last result per kind and the history', async () => {
    const history = createSyncJobsRepository({ sql: db.sql });
    await history.finish(await history.start('imdb'), 'succeeded', { titles: 3 });
    const res = await app.request('/api/admin/jobs', { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await res.json()).toEqual({
      running: [],
      last: {},
      history: [expect.objectContaining({ kind: 'imdb', status: 'succeeded', stats: { titles: 3 } })],
    });
    expect((await app.request('/api/admin/jobs?limit=0', { headers: admin })).status).toBe(400);
  });

  it('starts a job (202), refuses a second of the same kind (409), and cancels it', async () => {
    const started = await post('/api/admin/jobs/imdb', { force: true });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ kind: 'imdb', pid: 2000, stage: 'starting', cancelling: false });
    expect(forks).toEqual([['--force']]);

    const again = await post('/api/admin/jobs/imdb');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'jobs.already_running' });
    const listed = (await (await app.request('/api/admin/jobs', { headers: admin })).json()) as { running: unknown[] };
    expect(listed.running).toEqual([expect.objectContaining({ kind: 'imdb' })]);

    const cancelled = await post('/api/admin/jobs/imdb/cancel');
    expect(cancelled.status).toBe(202);
    expect(await cancelled.json()).toMatchObject({ kind: 'imdb', cancelling: true });
    expect(children[0]?.sent).toEqual([{ type: 'cancel' }]);
    expect((await post('/api/admin/jobs/tmdb/cancel')).status).toBe(409);
  });

  it('validates the kind and the body with reasons', async () => {
    const unknown = await post('/api/admin/jobs/netflix', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'jobs.unknown_kind' });
    const badForce = await post('/api/admin/jobs/imdb', { force: 'yes' });
    expect(badForce.status).toBe(400);
    expect(await badForce.json()).toMatchObject({ error: 'force: must be true or false' });
    expect((await post('/api/admin/jobs/imdb', { fromDir: '/etc' })).status).toBe(400);
    expect((await post('/api/admin/jobs/tmdb', { limit: 0 })).status).toBe(400);
    const limitForImdb = await post('/api/admin/jobs/imdb', { limit: 5 });
    expect(limitForImdb.status).toBe(400);
    expect(await limitForImdb.json()).toMatchObject({ code: 'jobs.invalid_args' });
    expect((await post('/api/admin/jobs/imdb', 'force', { ...admin, 'content-type': 'text/plain' })).status).toBe(415);
    expect(forks).toEqual([]);
    expect((await post('/api/admin/jobs/tmdb', { force: true })).status).toBe(400);
    expect(forks).toEqual([]);
    expect((await post('/api/admin/jobs/tmdb', { limit: 10, reset: true })).status).toBe(202);
    expect(forks).toEqual([['--reset', '--limit', '10']]);
  });

  it('answers 503 with a reason where the process runs no jobs', async () => {
    const bare = createServer({
      db,
      repositories: createRepositories(db),
      adminToken: TEST_TOKEN,
      log: createMemoryLogger(),
    });
    const res = await bare.request('/api/admin/jobs/imdb', { method: 'POST', headers: admin });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'jobs.unavailable' });
  });

  describe('event stream', () => {
    const open = async () => {
      const res = await app.request('/api/admin/jobs/events', { headers: admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffered = '';
      const nextEvent = async (): Promise<{ event: string; data: unknown }> => {
        while (!buffered.includes('\n\n')) {
          const { done, value } = await reader.read();
          if (done) throw new Error('stream ended');
          buffered += decoder.decode(value);
        }
        const [block = '', ...rest] = buffered.split('\n\n');
        buffered = rest.join('\n\n');
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
        return { event, data };
      };
      return { reader, nextEvent };
    };

    it('sends the snapshot first, then the events as they happen', async () => {
      await post('/api/admin/jobs/tmdb', {});
      const { reader, nextEvent } = await open();
      expect(await nextEvent()).toEqual({
        event: 'snapshot',
        data: { running: [expect.objectContaining({ kind: 'tmdb' })], last: {} },
      });
      await post('/api/admin/jobs/imdb', {});
      expect(await nextEvent()).toMatchObject({ event: 'started', data: { type: 'started', job: { kind: 'imdb' } } });
      children[1]?.message({ type: 'progress', stage: 'load', done: 5, total: 10, unit: 'rows' });
      expect(await nextEvent()).toMatchObject({ event: 'progress', data: { job: { percent: 50 } } });
      children[1]?.message({ type: 'done', status: 'succeeded', stats: {} });
      children[1]?.exit(0);
      expect(await nextEvent()).toMatchObject({ event: 'finished', data: { kind: 'imdb', status: 'succeeded' } });
      await reader.cancel();
    });

    it('lets go of the supervisor when the client goes away', async () => {
      const { reader, nextEvent } = await open();
      await nextEvent();
      expect(subscribed).toBe(1);
      await reader.cancel();
      await expect.poll(() => subscribed).toBe(0);
    });

    it('ends when the server closes', async () => {
      const { reader, nextEvent } = await open();
      await nextEvent();
      shutdown.abort();
      expect(await reader.read()).toEqual({ done: true, value: undefined });
      expect(subscribed).toBe(0);
    });
  });
});
