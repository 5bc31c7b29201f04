/**
 * The app's life: one instance (a second launch opens the dashboard instead), no dock icon
 * on macOS, and one quit sequence however quitting starts (the menu, Cmd-Q, logout,
 * SIGINT, SIGTERM): stop the server (it stops accepting requests, cancels its jobs and
 * closes the database, in that order), then exit. SIGHUP is ignored: a closed terminal
 * must not take the app down. Electron's app and the process are injected.
 */
import type { Logger } from '../server/logger.ts';

/** The part of Electron's `app` the lifecycle uses. */
export interface LifecycleApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  quit(): void;
  exit(code: number): void;
  dock?: { hide(): void } | undefined;
}

export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
}

/** One step of quitting; a step that fails or hangs must not keep the app from exiting. */
export interface QuitStep {
  name: string;
  run(): Promise<void> | void;
}

export interface LifecycleDeps {
  app: LifecycleApp;
  signals: SignalSource;
  log: Logger;
  openDashboard(): void;
  /** In order; the server's own shutdown does stop-accepting → cancel jobs → close database. */
  quitSteps: QuitStep[];
  setTimeout?: (callback: () => void, ms: number) => unknown;
  /** The longest a quit may take before the app exits anyway. */
  quitDeadlineMs?: number;
}

export function createLifecycle(deps: LifecycleDeps) {
  const { app, log } = deps;
  const setTimer = deps.setTimeout ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  let quitting: Promise<void> | null = null;

  async function runQuitSequence(exitCode: number) {
    let code = exitCode;
    for (const step of deps.quitSteps) {
      try {
        await step.run();
      } catch (error) {
        code = 1;
        log.error(`quit: ${step.name} failed`, error);
      }
    }
    log.info('quit: done');
    app.exit(code);
  }

  return {
    /** False when another instance runs: this one has asked it to open the dashboard and quits. */
    claimSingleInstance(): boolean {
      if (!app.requestSingleInstanceLock()) {
        app.quit();
        return false;
      }
      app.on('second-instance', () => deps.openDashboard());
      return true;
    },

    /** Registers every way of quitting; call once at start. */
    setup() {
      // A menu-bar app: no dock icon (LSUIElement hides it in the packaged app; this covers dev).
      app.dock?.hide();
      // The tray app lives without windows; closing the log window must not quit it.
      app.on('window-all-closed', () => {});
      app.on('before-quit', (event) => {
        event.preventDefault();
        void this.quit();
      });
      deps.signals.on('SIGINT', () => void this.quit());
      deps.signals.on('SIGTERM', () => void this.quit());
      deps.signals.on('SIGHUP', () => log.info('SIGHUP ignored'));
    },

    /** Runs the quit sequence once; every later call gets the same promise. */
    quit(exitCode = 0): Promise<void> {
      quitting ??= (() => {
        log.info('quit: stopping');
        setTimer(() => {
          log.error('quit: took too long, exiting anyway');
          app.exit(1);
        }, deps.quitDeadlineMs ?? 20_000);
        return runQuitSequence(exitCode);
      })();
      return quitting;
    },

    get quitting() {
      return quitting !== null;
    },
  };
}
