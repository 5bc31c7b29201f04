/**
 * Composition root of the tray app: the only module that touches Electron's APIs. It
 * parses the configuration once, points electron-log at the log file the server and the
 * jobs also write, wraps Electron's objects into the narrow adapters the tested modules
 * take, and starts createMainApp. The server itself runs in a child process
 * (server/host.child.ts) so the tray stays responsive and a dead server can be restarted.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  nativeTheme,
  shell,
  Tray,
} from 'electron';
import electronLog from 'electron-log/main';
import { ConfigError, loadConfig } from '../server/config.ts';
import { type Logger, logFilePath } from '../server/logger.ts';
import type { LogBrowserWindow } from './log-window.ts';
import { createMainApp, type TrayView } from './main-app.ts';
import { resolveAppPaths } from './paths.ts';
import { parsePublicUrl } from './tray-state.ts';

function configure() {
  // The data folder defaults to Electron's per-user app folder; MEDIACANON_DATA_DIR still wins.
  const config = loadConfig({ MEDIACANON_DATA_DIR: app.getPath('userData'), ...process.env });
  const logFile = logFilePath(config.dataDir);
  electronLog.transports.file.resolvePathFn = () => logFile;
  // The same line shape as the server's file logger, so the log window reads both alike.
  electronLog.transports.file.format = '{iso} {level} [main] {text}';
  electronLog.transports.file.maxSize = 5 * 1024 * 1024;
  electronLog.transports.console.format = '{iso} {level} [main] {text}';
  // Into the log, not a dialog: a menu-bar app has no window for the owner to act on one.
  electronLog.errorHandler.startCatching({ showDialog: false });
  const log: Logger = {
    info: (message, ...details) => electronLog.info(message, ...details),
    warn: (message, ...details) => electronLog.warn(message, ...details),
    error: (message, ...details) => electronLog.error(message, ...details),
  };
  return { config, logFile, log };
}

function createTrayView(): TrayView {
  const tray = new Tray(nativeImage.createEmpty());
  let shownImage: string | null = null;
  return {
    setImage(file) {
      if (file === shownImage) return;
      shownImage = file;
      const image = nativeImage.createFromPath(file);
      // "Template" images are tinted by macOS for light and dark menu bars.
      if (process.platform === 'darwin') image.setTemplateImage(true);
      tray.setImage(image);
    },
    setToolTip: (text) => tray.setToolTip(text),
    setMenu: (template) => tray.setContextMenu(Menu.buildFromTemplate(template)),
    destroy: () => tray.destroy(),
  };
}

function start() {
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox();
  let configured: ReturnType<typeof configure>;
  try {
    configured = configure();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String(error);
    dialog.showErrorBox('MediaCanon cannot start', message);
    app.exit(2);
    return;
  }
  const { config, logFile, log } = configured;
  const paths = resolveAppPaths({
    appRoot: app.getAppPath(),
    isPackaged: app.isPackaged,
    platform: process.platform,
    arch: process.arch,
  });
  const hostEnv: Record<string, string> = {
    MEDIACANON_DATA_DIR: config.dataDir,
    // Electron's binary runs the server (and its jobs) as plain Node.
    ELECTRON_RUN_AS_NODE: '1',
    ...(paths.esbuildBinary && { ESBUILD_BINARY_PATH: paths.esbuildBinary }),
  };

  const mainApp = createMainApp({
    app,
    signals: process,
    createTray: createTrayView,
    theme: {
      dark: () => nativeTheme.shouldUseDarkColors,
      onUpdated: (listener) => nativeTheme.on('updated', listener),
    },
    clipboard,
    openExternal: (url) => shell.openExternal(url),
    notifications: {
      show: (notice) => new Notification(notice).show(),
      supported: () => Notification.isSupported(),
    },
    logWindow: {
      createWindow: (options) => new BrowserWindow(options) as unknown as LogBrowserWindow,
      ipcMain: { handle: (channel, handler) => ipcMain.handle(channel, handler) },
      showItemInFolder: (file) => shell.showItemInFolder(file),
    },
    forkHost: (env) => {
      const child = fork(paths.hostChild, [], {
        execArgv: paths.tsxLoader ? ['--import', paths.tsxLoader] : [],
        env: { ...process.env, ...hostEnv, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      // A send to a child that just died emits 'error'; unhandled, it would take the tray down.
      child.on('error', (error) => log.warn('server process:', error.message));
      return child;
    },
    fetch: (url, init) => fetch(url, init),
    networkInterfaces: () => os.networkInterfaces(),
    config,
    paths,
    logFile,
    publicUrl: parsePublicUrl(process.env.MEDIACANON_PUBLIC_URL, log),
    platform: process.platform,
    log,
  });
  mainApp.start().catch((error) => {
    log.error('MediaCanon could not start', error);
    app.exit(1);
  });
}

start();
