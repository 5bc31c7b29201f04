/**
 * View Logs: one small window (renderer/log-window/) that shows the shared log as it
 * grows, with a level and text filter and a button that reveals the file. The page is
 * sandboxed with context isolation and no Node; it reaches the log only through the three
 * calls its preload exposes, and main answers only that window.
 */
import type { Logger } from '../server/logger.ts';
import type { LogFilter, LogLevel, LogTail } from './log-tail.ts';

export const LOG_CHANNELS = { read: 'logs:read', reveal: 'logs:reveal', changed: 'logs:changed' } as const;

/** The parts of a BrowserWindow the log window uses. */
export interface LogBrowserWindow {
  webContents: {
    id: number;
    send(channel: string): void;
    setWindowOpenHandler(handler: () => { action: 'deny' }): void;
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }) => void): unknown;
  };
  loadFile(file: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  show(): void;
  focus(): void;
  isDestroyed(): boolean;
}

export interface LogWindowOptions {
  width: number;
  height: number;
  title: string;
  show: boolean;
  autoHideMenuBar: boolean;
  webPreferences: { preload: string; contextIsolation: true; sandbox: true; nodeIntegration: false };
}

export interface IpcInvokeEvent {
  sender: { id: number };
}

export interface LogWindowDeps {
  createWindow(options: LogWindowOptions): LogBrowserWindow;
  ipcMain: { handle(channel: string, handler: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void };
  showItemInFolder(file: string): void;
  tail: LogTail;
  logFile: string;
  html: string;
  preload: string;
  log: Logger;
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  pollMs?: number;
}

const LEVELS = new Set(['INFO', 'WARN', 'ERROR']);

/** What the page asked for, kept only if it is the shape expected. */
export function parseLogFilter(value: unknown): LogFilter {
  if (typeof value !== 'object' || value === null) return {};
  const { text, minLevel } = value as Record<string, unknown>;
  return {
    ...(typeof text === 'string' && { text: text.slice(0, 200) }),
    ...(typeof minLevel === 'string' && LEVELS.has(minLevel) && { minLevel: minLevel as LogLevel }),
  };
}

export function createLogWindow(deps: LogWindowDeps) {
  const every = deps.setInterval ?? ((callback: () => void, ms: number) => setInterval(callback, ms));
  const stopEvery = deps.clearInterval ?? ((handle: unknown) => clearInterval(handle as NodeJS.Timeout));
  let window: LogBrowserWindow | null = null;
  let poller: unknown = null;

  const fromOurWindow = (event: IpcInvokeEvent) => window !== null && event.sender.id === window.webContents.id;

  deps.ipcMain.handle(LOG_CHANNELS.read, async (event, filter) => {
    if (!fromOurWindow(event)) return [];
    await deps.tail.poll();
    return deps.tail.lines(parseLogFilter(filter));
  });
  deps.ipcMain.handle(LOG_CHANNELS.reveal, (event) => {
    if (fromOurWindow(event)) deps.showItemInFolder(deps.logFile);
  });

  async function tick() {
    const current = window;
    try {
      if ((await deps.tail.poll()) && current && !current.isDestroyed()) current.webContents.send(LOG_CHANNELS.changed);
    } catch (error) {
      deps.log.warn('log window: could not read the log', error);
    }
  }

  return {
    /** Opens the window, or brings the open one forward. */
    show() {
      if (window && !window.isDestroyed()) {
        window.show();
        window.focus();
        return;
      }
      const opened = deps.createWindow({
        width: 960,
        height: 600,
        title: 'MediaCanon Logs',
        show: false,
        autoHideMenuBar: true,
        webPreferences: { preload: deps.preload, contextIsolation: true, sandbox: true, nodeIntegration: false },
      });
      window = opened;
      // The page shows a file; it has no business opening windows or going anywhere else.
      opened.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      opened.webContents.on('will-navigate', (event) => event.preventDefault());
      opened.once('ready-to-show', () => opened.show());
      opened.on('closed', () => {
        if (window === opened) window = null;
        if (poller !== null) stopEvery(poller);
        poller = null;
      });
      opened.loadFile(deps.html).catch((error) => deps.log.error('log window: could not load', error));
      // Polling rather than fs.watch: it behaves the same on every platform and across rotation.
      poller = every(() => void tick(), deps.pollMs ?? 1000);
    },
    get open() {
      return window !== null;
    },
  };
}
