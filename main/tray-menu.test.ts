import { describe, expect, it, vi } from 'vitest';
import type { JobView } from '../server/host-protocol.ts';
import { buildTrayMenu, type TrayMenuItem } from './tray-menu.ts';
import { initialTrayState, type TrayState } from './tray-state.ts';

const actions = () => ({
  copyUrl: vi.fn(),
  openDashboard: vi.fn(),
  startJob: vi.fn(),
  cancelJob: vi.fn(),
  viewLogs: vi.fn(),
  setStartAtLogin: vi.fn(),
  quit: vi.fn(),
});

const running = { state: 'running', url: 'http://127.0.0.1:8080', port: 8080, requestedPort: 8080 } as const;
const idle: TrayState = { ...initialTrayState(), server: running };
const job = (view: Partial<JobView>): JobView => ({
  kind: 'imdb',
  state: 'running',
  stage: null,
  percent: null,
  error: null,
  finishedAt: null,
  ...view,
});

const item = (menu: TrayMenuItem[], label: string | RegExp) =>
  menu.find((entry) => (typeof label === 'string' ? entry.label === label : label.test(entry.label ?? '')));
const labels = (menu: TrayMenuItem[]) => menu.map((entry) => entry.label ?? '---');

describe('buildTrayMenu', () => {
  it('idle: the URL (click copies), the dashboard and both jobs offered', () => {
    const a = actions();
    const menu = buildTrayMenu(idle, a);
    expect(menu[0]?.label).toBe('Server running: http://127.0.0.1:8080 (click to copy)');
    menu[0]?.click?.();
    expect(a.copyUrl).toHaveBeenCalledWith('http://127.0.0.1:8080');
    item(menu, 'Open Dashboard')?.click?.();
    expect(a.openDashboard).toHaveBeenCalledOnce();
    expect(item(menu, 'Sync IMDb Now')?.enabled).toBe(true);
    item(menu, 'Run TMDB Backfill')?.click?.();
    expect(a.startJob).toHaveBeenCalledWith('tmdb');
    expect(labels(menu).some((label) => /Cancel|Last /.test(label))).toBe(false);
  });

  it('shows the LAN and public URLs when there are some, each copied on click', () => {
    const a = actions();
    const menu = buildTrayMenu(
      { ...idle, lanUrl: 'http://192.168.1.20:8080', publicUrl: 'https://canon.example.org' },
      a,
    );
    item(menu, /^LAN: http:\/\/192\.168\.1\.20:8080/)?.click?.();
    item(menu, /^Public: https:\/\/canon\.example\.org/)?.click?.();
    expect(a.copyUrl.mock.calls).toEqual([['http://192.168.1.20:8080'], ['https://canon.example.org']]);
  });

  it('says which port it took when the configured one was taken', () => {
    const menu = buildTrayMenu(
      { ...idle, server: { ...running, url: 'http://127.0.0.1:8082', port: 8082 } },
      actions(),
    );
    expect(item(menu, 'Port 8080 was taken; using 8082')?.enabled).toBe(false);
  });

  it('syncing: stage and percentage, Cancel, and no second IMDb sync', () => {
    const a = actions();
    const menu = buildTrayMenu({ ...idle, jobs: [job({ stage: 'merge titles', percent: 42.7 })] }, a);
    expect(item(menu, 'IMDb sync: merge titles — 42%')?.enabled).toBe(false);
    expect(item(menu, 'Sync IMDb Now')?.enabled).toBe(false);
    expect(item(menu, 'Run TMDB Backfill')?.enabled).toBe(true);
    item(menu, 'Cancel IMDb sync')?.click?.();
    expect(a.cancelJob).toHaveBeenCalledWith('imdb');
  });

  it('failed: the last result names the error, and a new sync is offered', () => {
    const menu = buildTrayMenu(
      {
        ...idle,
        jobs: [
          job({ state: 'succeeded', finishedAt: '2026-11-20T08:00:00Z' }),
          job({ kind: 'tmdb', state: 'failed', error: 'TMDB answered 401', finishedAt: '2026-11-21T09:00:00Z' }),
        ],
      },
      actions(),
    );
    const last = item(menu, /^Last /);
    expect(last?.label).toMatch(/^Last TMDB backfill failed .*: TMDB answered 401$/);
    expect(last?.enabled).toBe(false);
    expect(item(menu, 'Sync IMDb Now')?.enabled).toBe(true);
  });

  it('server down: the reason and the restart shown, everything needing the server disabled', () => {
    const a = actions();
    const menu = buildTrayMenu(
      {
        ...idle,
        server: { state: 'restarting', reason: 'the server exited (code 1)', inMs: 4000, attempt: 3 },
      },
      a,
    );
    expect(labels(menu).slice(0, 2)).toEqual([
      'Server down: the server exited (code 1)',
      'Restarting in 4 s (attempt 3)',
    ]);
    for (const label of ['Open Dashboard', 'Sync IMDb Now', 'Run TMDB Backfill']) {
      expect(item(menu, label)?.enabled).toBe(false);
    }
    expect(labels(menu)).not.toContain(expect.stringMatching(/click to copy/));
    item(menu, 'View Logs')?.click?.();
    expect(a.viewLogs).toHaveBeenCalledOnce();
  });

  it('starting: disabled status line with the port', () => {
    const menu = buildTrayMenu({ ...initialTrayState(), server: { state: 'starting', port: 8080 } }, actions());
    expect(menu[0]).toEqual({ label: 'Server starting on port 8080…', enabled: false });
    expect(buildTrayMenu(initialTrayState(), actions())[0]?.label).toBe('Server starting…');
  });

  it('Start at Login is a checkbox that toggles', () => {
    const a = actions();
    const menu = buildTrayMenu({ ...idle, startAtLogin: true }, a);
    const entry = item(menu, 'Start at Login');
    expect(entry).toMatchObject({ type: 'checkbox', checked: true });
    entry?.click?.();
    expect(a.setStartAtLogin).toHaveBeenCalledWith(false);
    const linux = buildTrayMenu({ ...idle, startAtLoginSupported: false }, a);
    expect(item(linux, 'Start at Login')?.enabled).toBe(false);
  });

  it('offers Quit, and only once', () => {
    const a = actions();
    buildTrayMenu(idle, a).at(-1)?.click?.();
    expect(a.quit).toHaveBeenCalledOnce();
    expect(buildTrayMenu({ ...idle, quitting: true }, a).at(-1)).toEqual({ label: 'Quitting…', enabled: false });
  });
});
