import { describe, expect, it } from 'vitest';
import { jobViewsFromHistory, jobViewsFromSnapshot, parseHostCommand, parseHostMessage } from './host-protocol.ts';

describe('parseHostMessage', () => {
  it('accepts the messages the host child sends', () => {
    expect(parseHostMessage({ type: 'listening', url: 'http://127.0.0.1:8081', port: 8081 })).toEqual({
      type: 'listening',
      url: 'http://127.0.0.1:8081',
      port: 8081,
    });
    expect(parseHostMessage({ type: 'listen-failed', code: 'EADDRINUSE', message: 'taken' })).toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(parseHostMessage({ type: 'job-refused', kind: 'tmdb', reason: 'already running' })).toEqual({
      type: 'job-refused',
      kind: 'tmdb',
      reason: 'already running',
    });
    expect(parseHostMessage({ type: 'sign-in-url', url: null, requestId: 3 })).toEqual({
      type: 'sign-in-url',
      url: null,
      requestId: 3,
    });
    expect(
      parseHostMessage({
        type: 'jobs',
        jobs: [{ kind: 'imdb', state: 'running', stage: 'load', percent: 140, error: null, finishedAt: null }],
      }),
    ).toEqual({
      type: 'jobs',
      jobs: [{ kind: 'imdb', state: 'running', stage: 'load', percent: 100, error: null, finishedAt: null }],
    });
  });

  it('keeps only the job events a notification needs', () => {
    expect(
      parseHostMessage({
        type: 'job-event',
        event: { type: 'finished', kind: 'imdb', status: 'failed', error: 'disk full', job: {} },
      }),
    ).toEqual({ type: 'job-event', event: { type: 'finished', kind: 'imdb', status: 'failed', error: 'disk full' } });
    expect(
      parseHostMessage({ type: 'job-event', event: { type: 'finished', kind: 'imdb', status: 'won' } }),
    ).toBeNull();
    expect(parseHostMessage({ type: 'job-event', event: { type: 'log', kind: 'imdb', message: 'x' } })).toBeNull();
  });

  it('drops malformed or hostile messages', () => {
    for (const bad of [
      null,
      'listening',
      { type: 'listening', url: 'javascript:alert(1)', port: 8080 },
      { type: 'listening', url: 'http://x', port: 70000 },
      { type: 'listen-failed', code: 1, message: 'x' },
      { type: 'jobs', jobs: [{ kind: 'imdb', state: 'exploded' }] },
      { type: 'jobs', jobs: 'all' },
      { type: 'sign-in-url', url: 'file:///etc/passwd', requestId: 1 },
      { type: 'log', level: 'debug', message: 'x' },
      { type: 'unknown' },
    ]) {
      expect(parseHostMessage(bad)).toBeNull();
    }
  });
});

describe('parseHostCommand', () => {
  it('accepts the parent commands and defaults job arguments', () => {
    expect(parseHostCommand({ type: 'start-job', kind: 'imdb' })).toEqual({
      type: 'start-job',
      kind: 'imdb',
      force: false,
    });
    expect(parseHostCommand({ type: 'start-job', kind: 'imdb', force: true })).toMatchObject({ force: true });
    expect(parseHostCommand({ type: 'cancel-job', kind: 'tmdb' })).toEqual({ type: 'cancel-job', kind: 'tmdb' });
    expect(parseHostCommand({ type: 'shutdown', extra: true })).toEqual({ type: 'shutdown' });
  });

  it('refuses commands with bad fields', () => {
    expect(parseHostCommand({ type: 'start-job', kind: 'imdb', force: 'yes' })).toBeNull();
    expect(parseHostCommand({ type: 'cancel-job' })).toBeNull();
    expect(parseHostCommand({ type: 'sign-in-url-request' })).toBeNull();
    expect(parseHostCommand({ type: 'rm -rf' })).toBeNull();
  });
});

describe('jobViewsFromSnapshot', () => {
  it('lists running jobs with their progress, then the last run of each other kind', () => {
    const running = {
      kind: 'imdb' as const,
      pid: 7,
      startedAt: '2026-01-02T03:00:00.000Z',
      ready: true,
      cancelling: false,
      stage: 'merge titles',
      done: 25,
      total: 200,
      unit: 'rows' as const,
      percent: 12.5,
    };
    const finished = (kind: 'imdb' | 'tmdb', status: 'succeeded' | 'crashed', error?: string) => ({
      kind,
      pid: 8,
      startedAt: '2026-01-02T02:00:00.000Z',
      finishedAt: '2026-01-02T02:30:00.000Z',
      durationMs: 1_800_000,
      status,
      ...(error && { error }),
    });
    expect(
      jobViewsFromSnapshot({
        running: [running],
        last: { imdb: finished('imdb', 'succeeded'), tmdb: finished('tmdb', 'crashed', 'killed by SIGKILL') },
      }),
    ).toEqual([
      { kind: 'imdb', state: 'running', stage: 'merge titles', percent: 12.5, error: null, finishedAt: null },
      {
        kind: 'tmdb',
        state: 'failed',
        stage: null,
        percent: null,
        error: 'killed by SIGKILL',
        finishedAt: '2026-01-02T02:30:00.000Z',
      },
    ]);
  });
});

describe('jobViewsFromHistory', () => {
  const row = (kind: string, status: 'running' | 'succeeded' | 'failed', finished_at: string | null, error = null) => ({
    kind,
    status,
    finished_at,
    error,
  });

  it('keeps the newest finished run of each kind, skipping runs still marked running', () => {
    expect(
      jobViewsFromHistory([
        row('imdb', 'running', null),
        row('imdb', 'succeeded', '2026-11-20T10:00:00Z'),
        row('tmdb', 'failed', '2026-11-19T10:00:00Z'),
        row('imdb', 'failed', '2026-11-18T10:00:00Z'),
      ]),
    ).toEqual([
      { kind: 'imdb', state: 'succeeded', stage: null, percent: null, error: null, finishedAt: '2026-11-20T10:00:00Z' },
      { kind: 'tmdb', state: 'failed', stage: null, percent: null, error: null, finishedAt: '2026-11-19T10:00:00Z' },
    ]);
  });

  it('gives way to what the supervisor knows about a kind', () => {
    const earlier = jobViewsFromHistory([
      row('imdb', 'succeeded', '2026-11-20T10:00:00Z'),
      row('tmdb', 'succeeded', '2026-11-20T09:00:00Z'),
    ]);
    const views = jobViewsFromSnapshot(
      {
        running: [],
        last: {
          imdb: {
            kind: 'imdb',
            pid: 1,
            startedAt: '2026-11-21T10:00:00Z',
            finishedAt: '2026-11-21T10:05:00Z',
            durationMs: 300_000,
            status: 'failed',
            error: 'disk full',
          },
        },
      },
      earlier,
    );
    expect(views.map((view) => [view.kind, view.state])).toEqual([
      ['imdb', 'failed'],
      ['tmdb', 'succeeded'],
    ]);
  });
});
