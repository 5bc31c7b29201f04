/**
 * Everything the tray shows, as one value changed only through trayReducer, so the menu
 * and the icon are pure functions of it and every state can be checked under plain Node.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { JobView } from '../server/host-protocol.ts';
import type { ServerStatus } from './server-host.ts';

export interface TrayState {
  server: ServerStatus;
  /** The server as other machines on the LAN reach it, when it listens on every interface. */
  lanUrl: string | null;
  /** The tunnel's public address, when one is configured. */
  publicUrl: string | null;
  /** One entry per job kind: the run in progress or the last one that finished. */
  jobs: JobView[];
  startAtLogin: boolean;
  /** Electron offers login items on macOS and Windows only. */
  startAtLoginSupported: boolean;
  quitting: boolean;
}

export type TrayEvent =
  | { type: 'server'; status: ServerStatus; lanUrl: string | null }
  | { type: 'jobs'; jobs: JobView[] }
  | { type: 'start-at-login'; enabled: boolean }
  | { type: 'quitting' };

export const initialTrayState = (
  init: { publicUrl?: string | null; startAtLogin?: boolean; startAtLoginSupported?: boolean } = {},
): TrayState => ({
  server: { state: 'starting', port: 0 },
  lanUrl: null,
  publicUrl: init.publicUrl ?? null,
  jobs: [],
  startAtLogin: init.startAtLogin ?? false,
  startAtLoginSupported: init.startAtLoginSupported ?? true,
  quitting: false,
});

export function trayReducer(state: TrayState, event: TrayEvent): TrayState {
  switch (event.type) {
    case 'server':
      return {
        ...state,
        server: event.status,
        lanUrl: event.status.state === 'running' ? event.lanUrl : null,
        // A server that went away took its running jobs with it.
        jobs: event.status.state === 'running' ? state.jobs : state.jobs.filter((job) => job.state !== 'running'),
      };
    case 'jobs':
      return { ...state, jobs: event.jobs };
    case 'start-at-login':
      return { ...state, startAtLogin: event.enabled };
    case 'quitting':
      return { ...state, quitting: true };
  }
}

export const runningJobs = (state: TrayState) => state.jobs.filter((job) => job.state === 'running');

/** The most recently finished job, whatever its kind. */
export function lastFinishedJob(state: TrayState): JobView | null {
  const finished = state.jobs.filter((job) => job.state !== 'running' && job.finishedAt !== null);
  finished.sort((a, b) => String(b.finishedAt).localeCompare(String(a.finishedAt)));
  return finished[0] ?? null;
}

/**
 * The LAN address of a server bound to every interface (0.0.0.0 or ::): the first external
 * IPv4 address, which is what another device on the network would type.
 */
export function lanUrlFor(host: string, port: number, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | null {
  if (host !== '0.0.0.0' && host !== '::') return null;
  for (const addresses of Object.values(interfaces)) {
    const external = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (external) return `http://${external.address}:${port}`;
  }
  return null;
}

/**
 * The tunnel's public address (MEDIACANON_PUBLIC_URL), shown and copied from the menu.
 * Only the tray uses it; a bad value is logged and left out rather than stopping the app.
 */
export function parsePublicUrl(value: string | undefined, log: { warn(message: string): void }): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href.replace(/\/$/, '');
  } catch {
    // reported below
  }
  log.warn(`MEDIACANON_PUBLIC_URL: must be an http(s) URL (got ${JSON.stringify(trimmed)}); not shown`);
  return null;
}
