import { describe, expect, it } from 'vitest';
import { initialTrayState, lanUrlFor, lastFinishedJob, parsePublicUrl, trayReducer } from './tray-state.ts';

const running = { state: 'running', url: 'http://0.0.0.0:8080', port: 8080, requestedPort: 8080 } as const;

describe('trayReducer', () => {
  it('drops running jobs and the LAN URL when the server goes down', () => {
    let state = trayReducer(initialTrayState(), { type: 'server', status: running, lanUrl: 'http://10.0.0.2:8080' });
    state = trayReducer(state, {
      type: 'jobs',
      jobs: [
        { kind: 'imdb', state: 'running', stage: 'load', percent: 5, error: null, finishedAt: null },
        { kind: 'tmdb', state: 'failed', stage: null, percent: null, error: 'x', finishedAt: '2026-01-01T00:00:00Z' },
      ],
    });
    expect(state.lanUrl).toBe('http://10.0.0.2:8080');
    state = trayReducer(state, {
      type: 'server',
      status: { state: 'restarting', reason: 'exited', inMs: 1000, attempt: 1 },
      lanUrl: 'http://10.0.0.2:8080',
    });
    expect(state.lanUrl).toBeNull();
    expect(state.jobs.map((job) => job.kind)).toEqual(['tmdb']);
  });

  it('keeps the public URL and tracks Start at Login and quitting', () => {
    let state = initialTrayState({ publicUrl: 'https://canon.example.org' });
    state = trayReducer(state, { type: 'start-at-login', enabled: true });
    state = trayReducer(state, { type: 'quitting' });
    expect(state).toMatchObject({ publicUrl: 'https://canon.example.org', startAtLogin: true, quitting: true });
  });

  it('finds the most recently finished job', () => {
    const state = {
      ...initialTrayState(),
      jobs: [
        {
          kind: 'imdb',
          state: 'succeeded',
          stage: null,
          percent: null,
          error: null,
          finishedAt: '2026-01-02T00:00:00Z',
        },
        { kind: 'tmdb', state: 'failed', stage: null, percent: null, error: 'x', finishedAt: '2026-01-03T00:00:00Z' },
        { kind: 'x', state: 'running', stage: null, percent: null, error: null, finishedAt: null },
      ] as const,
    };
    expect(lastFinishedJob({ ...state, jobs: [...state.jobs] })?.kind).toBe('tmdb');
  });
});

describe('lanUrlFor', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '192.168.1.20', family: 'IPv4', internal: false },
    ],
  } as unknown as Parameters<typeof lanUrlFor>[2];

  it('gives the first external IPv4 address when bound to every interface', () => {
    expect(lanUrlFor('0.0.0.0', 8080, interfaces)).toBe('http://192.168.1.20:8080');
  });

  it('gives nothing when bound to loopback only', () => {
    expect(lanUrlFor('127.0.0.1', 8080, interfaces)).toBeNull();
  });
});

describe('parsePublicUrl', () => {
  it('keeps an http(s) URL and refuses anything else with a warning', () => {
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message) };
    expect(parsePublicUrl(' https://canon.example.org/ ', log)).toBe('https://canon.example.org');
    expect(parsePublicUrl(undefined, log)).toBeNull();
    expect(parsePublicUrl('javascript:alert(1)', log)).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^MEDIACANON_PUBLIC_URL: must be an http\(s\) URL/);
  });
});
