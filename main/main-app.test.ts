import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../server/config.ts';
import type { HostCommand } from '../server/host-protocol.ts';
import { createMemoryLogger } from '../server/logger.ts';
import { tempDirs } from '../test/temp-dirs.ts';
import { createMainApp, type MainAppDeps } from './main-app.ts';
import { resolveAppPaths } from './paths.ts';
import type { TrayMenuItem } from './tray-menu.ts';

class FakeHostChild extends EventEmitter {
  sent: HostCommand[] = [];
  constructor(readonly env: Record<string, string>) {
    super();
  }
  send(command: HostCommand) {
    this.sent.push(command);
    if (command.type === 'shutdown') queueMicrotask(() => this.emit('exit', 0, null));
    return true;
  }
  kill() {
    queueMicrotask(() => this.emit('exit', null, 'SIGKILL'));
    return true;
  }
}

const tempDir = tempDirs();

function setup(options: { HOST?: string; interfaces?: Record<string, unknown[]> } = {}) {
  const dataDir = tempDir('mediacanon-main-');
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => true,
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: async () => {},
    dock: { hide: vi.fn() },
    getLoginItemSettings: () => ({ openAtLogin: false }),
    setLoginItemSettings: vi.fn(),
  });
  const tray = { image: '', tooltip: '', menu: [] as TrayMenuItem[], destroy: vi.fn() };
  const children: FakeHostChild[] = [];
  const notices: unknown[] = [];
  const mainApp = createMainApp({
    app,
    signals: new EventEmitter(),
    createTray: () => ({
      setImage: (file) => {
        tray.image = file;
      },
      setToolTip: (text) => {
        tray.tooltip = text;
      },
      setMenu: (menu) => {
        tray.menu = menu;
      },
      destroy: tray.destroy,
    }),
    theme: { dark: () => false, onUpdated: () => {} },
    clipboard: { writeText: vi.fn() },
    openExternal: vi.fn(async () => {}),
    notifications: { show: (notice) => notices.push(notice), supported: () => true },
    logWindow: { createWindow: vi.fn(), ipcMain: { handle: () => {} }, showItemInFolder: vi.fn() },
    forkHost: (env) => {
      const child = new FakeHostChild(env);
      children.push(child);
      return child;
    },
    fetch: async () => ({ ok: true, status: 200 }),
    networkInterfaces: () => (options.interfaces ?? {}) as ReturnType<MainAppDeps['networkInterfaces']>,
    config: loadConfig({ MEDIACANON_DATA_DIR: dataDir, PORT: '8090', HOST: options.HOST ?? '127.0.0.1' }),
    paths: resolveAppPaths({ appRoot: '/app', isPackaged: false, platform: 'darwin', arch: 'arm64' }),
    logFile: path.join(dataDir, 'logs', 'mediacanon.log'),
    publicUrl: null,
    platform: 'darwin',
    log: createMemoryLogger(),
  });
  const item = (label: string | RegExp) =>
    tray.menu.find((entry) => (typeof label === 'string' ? entry.label === label : label.test(entry.label ?? '')));
  return { app, mainApp, tray, children, notices, item };
}

describe('createMainApp', () => {
  it('drives the tray from the hosted server: URL, jobs, busy icon, notification, quit', async () => {
    const { app, mainApp, tray, children, notices, item } = setup();
    expect(await mainApp.start()).toBe(true);
    expect(app.dock.hide).toHaveBeenCalled();
    expect(children[0]?.env).toEqual({ PORT: '8090' });
    expect(tray.menu[0]?.label).toBe('Server starting on port 8090…');

    const child = children[0] as FakeHostChild;
    child.emit('message', { type: 'listening', url: 'http://127.0.0.1:8090', port: 8090 });
    expect(tray.menu[0]?.label).toBe('Server running: http://127.0.0.1:8090 (click to copy)');
    expect(tray.image).toBe('/app/static/tray/trayTemplate.png');

    item('Sync IMDb Now')?.click?.();
    expect(child.sent.at(-1)).toEqual({ type: 'start-job', kind: 'imdb', force: false });
    child.emit('message', {
      type: 'jobs',
      jobs: [{ kind: 'imdb', state: 'running', stage: 'load', percent: 50, error: null, finishedAt: null }],
    });
    expect(tray.image).toBe('/app/static/tray/trayBusyTemplate.png');
    expect(item('IMDb sync: load — 50%')).toBeDefined();
    item('Cancel IMDb sync')?.click?.();
    expect(child.sent.at(-1)).toEqual({ type: 'cancel-job', kind: 'imdb' });

    child.emit('message', {
      type: 'job-event',
      event: { type: 'finished', kind: 'imdb', status: 'failed', error: 'disk full' },
    });
    expect(notices).toEqual([{ title: 'IMDb sync failed', body: 'disk full' }]);

    child.emit('message', { type: 'job-refused', kind: 'tmdb', reason: 'a tmdb job is already running (pid 7)' });
    expect(notices.at(-1)).toEqual({
      title: 'Could not start the TMDB backfill',
      body: 'a tmdb job is already running (pid 7)',
    });

    item('Quit MediaCanon')?.click?.();
    await mainApp.quit();
    expect(child.sent.at(-1)).toEqual({ type: 'shutdown' });
    expect(tray.destroy).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledWith(0);
    expect(children).toHaveLength(1);
  });

  it('shows a server bound to every interface at 127.0.0.1, with its LAN address beside it', async () => {
    const { mainApp, children, tray } = setup({
      HOST: '0.0.0.0',
      interfaces: { en0: [{ address: '192.168.1.20', family: 'IPv4', internal: false }] },
    });
    await mainApp.start();
    children[0]?.emit('message', { type: 'listening', url: 'http://0.0.0.0:8090', port: 8090 });
    expect(tray.menu.slice(0, 2).map((entry) => entry.label)).toEqual([
      'Server running: http://127.0.0.1:8090 (click to copy)',
      'LAN: http://192.168.1.20:8090 (click to copy)',
    ]);
  });

  it('a second launch makes the first open the dashboard signed in', async () => {
    const { app, mainApp, children } = setup();
    await mainApp.start();
    const child = children[0] as FakeHostChild;
    child.emit('message', { type: 'listening', url: 'http://127.0.0.1:8090', port: 8090 });
    app.emit('second-instance');
    const request = child.sent.find((command) => command.type === 'sign-in-url-request');
    expect(request).toBeDefined();
  });
});
