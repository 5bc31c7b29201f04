/**
 * The tray app assembled from its parts: lifecycle, server host, tray state, menu, icon,
 * notifications, log window and login item. Electron's APIs arrive as narrow adapters
 * (index.ts builds them), so this runs under plain Node with fakes like every part.
 */
import type { Config } from '../server/config.ts';
import type { HostMessage } from '../server/host-protocol.ts';
import type { Logger } from '../server/logger.ts';
import { browserUrl, createDashboardOpener } from './dashboard.ts';
import { createLifecycle, type LifecycleApp, type SignalSource } from './lifecycle.ts';
import { createLogTail } from './log-tail.ts';
import { createLogWindow, type LogWindowDeps } from './log-window.ts';
import { createLoginItem, type LoginItemApi } from './login-item.ts';
import { createJobNotifier, type JobNotice, refusalNotice } from './notifications.ts';
import type { AppPaths } from './paths.ts';
import { createServerHost, type HostChild, type ServerHostDeps } from './server-host.ts';
import { trayIconFile, trayTooltip } from './tray-icon.ts';
import { buildTrayMenu, type TrayMenuItem } from './tray-menu.ts';
import { initialTrayState, lanUrlFor, type TrayEvent, type TrayState, trayReducer } from './tray-state.ts';

/** What the app does with its tray icon; index.ts wraps Electron's Tray and Menu. */
export interface TrayView {
  setImage(file: string): void;
  setToolTip(text: string): void;
  setMenu(template: TrayMenuItem[]): void;
  destroy(): void;
}

export interface MainAppDeps {
  app: LifecycleApp & LoginItemApi & { whenReady(): Promise<unknown> };
  signals: SignalSource;
  /** Called once the app is ready: Electron creates trays only then. */
  createTray(): TrayView;
  theme: { dark(): boolean; onUpdated(listener: () => void): void };
  clipboard: { writeText(text: string): void };
  openExternal(url: string): Promise<void>;
  notifications: { show(notice: JobNotice): void; supported(): boolean };
  logWindow: Pick<LogWindowDeps, 'createWindow' | 'ipcMain' | 'showItemInFolder'>;
  forkHost(env: Record<string, string>): HostChild;
  fetch: ServerHostDeps['fetch'];
  networkInterfaces(): Parameters<typeof lanUrlFor>[2];
  config: Config;
  paths: AppPaths;
  logFile: string;
  publicUrl: string | null;
  platform: NodeJS.Platform;
  log: Logger;
}

export function createMainApp(deps: MainAppDeps) {
  const { log } = deps;
  const loginItem = createLoginItem({ app: deps.app, platform: deps.platform, log });
  let state: TrayState = initialTrayState({
    publicUrl: deps.publicUrl,
    startAtLoginSupported: loginItem.supported,
  });
  let tray: TrayView | null = null;
  const notify = createJobNotifier(deps.notifications);

  const dispatch = (event: TrayEvent) => {
    state = trayReducer(state, event);
    render();
  };

  const host = createServerHost({
    fork: deps.forkHost,
    fetch: deps.fetch,
    log,
    port: deps.config.port,
    onStatus: (status) =>
      dispatch({
        type: 'server',
        // Bound to every interface, the server is still this machine's at 127.0.0.1; the LAN line covers the rest.
        status: status.state === 'running' ? { ...status, url: browserUrl(status.url) } : status,
        lanUrl: status.state === 'running' ? lanUrlFor(deps.config.host, status.port, deps.networkInterfaces()) : null,
      }),
    onMessage: (message: HostMessage) => {
      if (message.type === 'jobs') dispatch({ type: 'jobs', jobs: message.jobs });
      if (message.type === 'job-event') notify(message.event);
      if (message.type === 'job-refused' && deps.notifications.supported()) {
        deps.notifications.show(refusalNotice(message.kind, message.reason));
      }
    },
  });

  const openDashboard = createDashboardOpener({
    requestSignInUrl: () => host.requestSignInUrl(),
    currentUrl: () => (state.server.state === 'running' ? state.server.url : null),
    openExternal: deps.openExternal,
    log,
  });

  const logWindow = createLogWindow({
    ...deps.logWindow,
    tail: createLogTail({ file: deps.logFile }),
    logFile: deps.logFile,
    html: deps.paths.logWindowHtml,
    preload: deps.paths.logWindowPreload,
    log,
  });

  const lifecycle = createLifecycle({
    app: deps.app,
    signals: deps.signals,
    log,
    openDashboard: () => void openDashboard(),
    quitSteps: [
      { name: 'show quitting', run: () => dispatch({ type: 'quitting' }) },
      // The server stops accepting requests, ends its jobs, then closes the database.
      { name: 'stop the server', run: () => host.stop() },
      { name: 'remove the tray', run: () => tray?.destroy() },
    ],
  });

  function render() {
    if (!tray) return;
    tray.setImage(deps.paths.trayIcon(trayIconFile(state, { platform: deps.platform, dark: deps.theme.dark() })));
    tray.setToolTip(trayTooltip(state));
    tray.setMenu(
      buildTrayMenu(state, {
        copyUrl: (url) => deps.clipboard.writeText(url),
        openDashboard: () => void openDashboard(),
        startJob: (kind) => host.send({ type: 'start-job', kind, force: false }),
        cancelJob: (kind) => host.send({ type: 'cancel-job', kind }),
        viewLogs: () => logWindow.show(),
        setStartAtLogin: (enabled) => dispatch({ type: 'start-at-login', enabled: loginItem.set(enabled) }),
        quit: () => void lifecycle.quit(),
      }),
    );
  }

  return {
    /** False when another instance already runs (it opens its dashboard instead). */
    async start(): Promise<boolean> {
      if (!lifecycle.claimSingleInstance()) return false;
      lifecycle.setup();
      await deps.app.whenReady();
      tray = deps.createTray();
      deps.theme.onUpdated(render);
      dispatch({ type: 'start-at-login', enabled: loginItem.enabled() });
      host.start();
      log.info(`MediaCanon tray started (data in ${deps.config.dataDir})`);
      return true;
    },
    get state() {
      return state;
    },
    quit: () => lifecycle.quit(),
  };
}
