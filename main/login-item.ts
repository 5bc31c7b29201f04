/**
 * Start at Login, through Electron's login item settings (macOS and Windows). Linux has no
 * such API in Electron: there the menu item reads as off and toggling it only logs why.
 */
import type { Logger } from '../server/logger.ts';

export interface LoginItemApi {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean }): void;
}

export function createLoginItem({ app, platform, log }: { app: LoginItemApi; platform: NodeJS.Platform; log: Logger }) {
  const supported = platform === 'darwin' || platform === 'win32';
  return {
    supported,
    enabled(): boolean {
      return supported && app.getLoginItemSettings().openAtLogin;
    },
    /** Returns what the setting is afterwards, which is what the menu should show. */
    set(enabled: boolean): boolean {
      if (!supported) {
        log.warn(`Start at Login is not available on ${platform}`);
        return false;
      }
      app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true });
      return app.getLoginItemSettings().openAtLogin;
    },
  };
}
