import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../server/logger.ts';
import { tempDirs } from '../test/temp-dirs.ts';
import { createLogTail } from './log-tail.ts';
import {
  createLogWindow,
  type IpcInvokeEvent,
  LOG_CHANNELS,
  type LogWindowOptions,
  parseLogFilter,
} from './log-window.ts';

class FakeWindow extends EventEmitter {
  static nextId = 1;
  webContents = Object.assign(new EventEmitter(), {
    id: FakeWindow.nextId++,
    send: vi.fn(),
    openHandler: null as null | (() => { action: string }),
    setWindowOpenHandler(handler: () => { action: string }) {
      this.openHandler = handler;
    },
  });
  destroyed = false;
  constructor(readonly options: LogWindowOptions) {
    super();
  }
  loadFile = vi.fn(async () => {});
  show = vi.fn();
  focus = vi.fn();
  isDestroyed = () => this.destroyed;
  close() {
    this.destroyed = true;
    this.emit('closed');
  }
}

const tempDir = tempDirs();

function setup() {
  const dir = tempDir('mediacanon-logwin-');
  const logFile = path.join(dir, 'mediacanon.log');
  fs.writeFileSync(
    logFile,
    '2026-11-21T10:00:00.000Z INFO [server] serving\n2026-11-21T10:00:01.000Z ERROR [server] [job imdb] failed\n',
  );
  const windows: FakeWindow[] = [];
  const handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  const ticks: Array<() => void> = [];
  const showItemInFolder = vi.fn();
  const logWindow = createLogWindow({
    createWindow: (options) => {
      const window = new FakeWindow(options);
      windows.push(window);
      return window;
    },
    ipcMain: { handle: (channel, handler) => handlers.set(channel, handler) },
    showItemInFolder,
    tail: createLogTail({ file: logFile }),
    logFile,
    html: '/app/renderer/log-window/index.html',
    preload: '/app/renderer/log-window/preload.cjs',
    log: createMemoryLogger(),
    setInterval: (callback) => ticks.push(callback),
    clearInterval: () => ticks.splice(0),
  });
  const invoke = (channel: string, senderId: number, ...args: unknown[]) =>
    handlers.get(channel)?.({ sender: { id: senderId } }, ...args);
  return { logWindow, windows, invoke, showItemInFolder, logFile, ticks };
}

describe('log window', () => {
  it('opens a sandboxed, isolated window without Node, loading the renderer page', () => {
    const { logWindow, windows } = setup();
    logWindow.show();
    const [window] = windows;
    expect(window?.options.webPreferences).toEqual({
      preload: '/app/renderer/log-window/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(window?.loadFile).toHaveBeenCalledWith('/app/renderer/log-window/index.html');
    expect(window?.webContents.openHandler?.()).toEqual({ action: 'deny' });
    const navigation = { preventDefault: vi.fn() };
    window?.webContents.emit('will-navigate', navigation);
    expect(navigation.preventDefault).toHaveBeenCalledOnce();
    window?.emit('ready-to-show');
    expect(window?.show).toHaveBeenCalledOnce();
  });

  it('reuses the open window and opens a new one after it was closed', () => {
    const { logWindow, windows } = setup();
    logWindow.show();
    logWindow.show();
    expect(windows).toHaveLength(1);
    expect(windows[0]?.focus).toHaveBeenCalledOnce();
    windows[0]?.close();
    expect(logWindow.open).toBe(false);
    logWindow.show();
    expect(windows).toHaveLength(2);
  });

  it('answers the window with filtered lines, and nobody else', async () => {
    const { logWindow, windows, invoke } = setup();
    logWindow.show();
    const id = windows[0]?.webContents.id ?? -1;
    const all = (await invoke(LOG_CHANNELS.read, id, {})) as Array<{ text: string }>;
    expect(all.map((line) => line.text)).toEqual(['serving', '[job imdb] failed']);
    const errors = (await invoke(LOG_CHANNELS.read, id, { minLevel: 'ERROR', text: 'IMDB' })) as unknown[];
    expect(errors).toHaveLength(1);
    expect(await invoke(LOG_CHANNELS.read, id + 1000, {})).toEqual([]);
  });

  it('reveals the log file in its folder', () => {
    const { logWindow, windows, invoke, showItemInFolder, logFile } = setup();
    logWindow.show();
    invoke(LOG_CHANNELS.reveal, windows[0]?.webContents.id ?? -1);
    expect(showItemInFolder).toHaveBeenCalledWith(logFile);
  });

  it('tells the page when the log grew, and stops polling once closed', async () => {
    const { logWindow, windows, logFile, ticks } = setup();
    logWindow.show();
    const window = windows[0] as FakeWindow;
    ticks[0]?.();
    await vi.waitFor(() => expect(window.webContents.send).toHaveBeenCalledWith(LOG_CHANNELS.changed));
    window.webContents.send.mockClear();
    fs.appendFileSync(logFile, '2026-11-21T10:00:02.000Z WARN [main] more\n');
    ticks[0]?.();
    await vi.waitFor(() => expect(window.webContents.send).toHaveBeenCalledOnce());
    window.close();
    expect(ticks).toHaveLength(0);
  });
});

describe('parseLogFilter', () => {
  it('keeps only a known level and a bounded text', () => {
    expect(parseLogFilter({ minLevel: 'DEBUG', text: 42 })).toEqual({});
    expect(parseLogFilter({ minLevel: 'WARN', text: 'x'.repeat(500) })).toEqual({
      minLevel: 'WARN',
      text: 'x'.repeat(200),
    });
    expect(parseLogFilter('WARN')).toEqual({});
  });
});
