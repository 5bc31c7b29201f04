/**
 * Open Dashboard signs the owner in: the server mints a one-time sign-in URL (exchanged
 * for an HttpOnly session cookie when the browser opens it), and the tray opens that in
 * the default browser. When the server cannot give one in time, the plain dashboard URL
 * still opens, signed out, rather than nothing happening.
 */
import type { Logger } from '../server/logger.ts';

export interface DashboardDeps {
  requestSignInUrl(): Promise<string | null>;
  /** The dashboard's URL now, or null while the server is not running. */
  currentUrl(): string | null;
  /** shell.openExternal */
  openExternal(url: string): Promise<void>;
  log: Logger;
}

/** A server bound to every interface is opened on loopback: browsers cannot always reach 0.0.0.0. */
export const browserUrl = (url: string): string =>
  url.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\])(?=[:/]|$)/, '$1127.0.0.1');

export function createDashboardOpener(deps: DashboardDeps) {
  return async function openDashboard(): Promise<void> {
    const current = deps.currentUrl();
    if (!current) {
      deps.log.warn('Open Dashboard: the server is not running');
      return;
    }
    const plain = browserUrl(current);
    const minted = await deps.requestSignInUrl().catch(() => null);
    const signIn = minted && browserUrl(minted);
    // Only ever hand the browser an address on the server the tray runs.
    const target = signIn && new URL(signIn).origin === new URL(plain).origin ? signIn : plain;
    if (target === plain) deps.log.warn('Open Dashboard: no sign-in link from the server; opening signed out');
    try {
      await deps.openExternal(target);
    } catch (error) {
      deps.log.error('Open Dashboard: could not open the browser', error);
    }
  };
}
