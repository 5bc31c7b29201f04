/**
 * The tray menu as data: a pure function of the tray's state, so every state can be
 * checked under plain Node. index.ts turns the template into a real Menu.
 */
import type { JobView } from '../server/host-protocol.ts';
import { lastFinishedJob, runningJobs, type TrayState } from './tray-state.ts';

export interface TrayActions {
  copyUrl(url: string): void;
  openDashboard(): void;
  startJob(kind: JobKind): void;
  cancelJob(kind: string): void;
  viewLogs(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

export type JobKind = 'imdb' | 'tmdb';

/** The subset of Electron's MenuItemConstructorOptions the tray uses. */
export interface TrayMenuItem {
  label?: string;
  type?: 'separator' | 'normal' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
}

const JOB_NAMES: Record<string, string> = { imdb: 'IMDb sync', tmdb: 'TMDB backfill' };
export const jobName = (kind: string) => JOB_NAMES[kind] ?? `${kind} job`;

const separator: TrayMenuItem = { type: 'separator' };

const formatTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';

function serverItems(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const status = state.server;
  const copy = (label: string, url: string): TrayMenuItem => ({
    label: `${label}: ${url} (click to copy)`,
    click: () => actions.copyUrl(url),
  });
  switch (status.state) {
    case 'running': {
      const items = [copy('Server running', status.url)];
      if (status.port !== status.requestedPort && status.requestedPort !== 0) {
        items.push({ label: `Port ${status.requestedPort} was taken; using ${status.port}`, enabled: false });
      }
      if (state.lanUrl) items.push(copy('LAN', state.lanUrl));
      if (state.publicUrl) items.push(copy('Public', state.publicUrl));
      return items;
    }
    case 'starting':
      // Port 0 means "any free port": there is no number to show until it listens.
      return [{ label: status.port ? `Server starting on port ${status.port}…` : 'Server starting…', enabled: false }];
    case 'restarting':
      return [
        { label: `Server down: ${status.reason}`, enabled: false },
        { label: `Restarting in ${Math.ceil(status.inMs / 1000)} s (attempt ${status.attempt})`, enabled: false },
      ];
    case 'stopped':
      return [{ label: 'Server stopped', enabled: false }];
  }
}

function progressLabel(job: JobView) {
  const stage = job.stage ? `: ${job.stage}` : ' starting…';
  return `${jobName(job.kind)}${stage}${job.percent !== null ? ` — ${Math.floor(job.percent)}%` : ''}`;
}

function lastResultLabel(job: JobView) {
  const when = formatTime(job.finishedAt);
  switch (job.state) {
    case 'failed':
      return `Last ${jobName(job.kind)} failed ${when}: ${job.error ?? 'unknown error'}`;
    case 'cancelled':
      return `Last ${jobName(job.kind)} cancelled ${when}`;
    case 'skipped':
      return `Last ${jobName(job.kind)}: nothing new ${when}`;
    default:
      return `Last ${jobName(job.kind)} succeeded ${when}`;
  }
}

function jobItems(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const up = state.server.state === 'running' && !state.quitting;
  const running = runningJobs(state);
  const busy = (kind: string) => running.some((job) => job.kind === kind);
  const items: TrayMenuItem[] = [
    { label: 'Sync IMDb Now', enabled: up && !busy('imdb'), click: () => actions.startJob('imdb') },
    { label: 'Run TMDB Backfill', enabled: up && !busy('tmdb'), click: () => actions.startJob('tmdb') },
  ];
  for (const job of running) {
    items.push({ label: progressLabel(job), enabled: false });
    items.push({ label: `Cancel ${jobName(job.kind)}`, enabled: up, click: () => actions.cancelJob(job.kind) });
  }
  const last = lastFinishedJob(state);
  if (last) items.push({ label: lastResultLabel(last), enabled: false });
  return items;
}

export function buildTrayMenu(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const up = state.server.state === 'running' && !state.quitting;
  return [
    ...serverItems(state, actions),
    separator,
    { label: 'Open Dashboard', enabled: up, click: () => actions.openDashboard() },
    separator,
    ...jobItems(state, actions),
    separator,
    { label: 'View Logs', click: () => actions.viewLogs() },
    {
      label: 'Start at Login',
      type: 'checkbox',
      checked: state.startAtLogin,
      enabled: state.startAtLoginSupported,
      click: () => actions.setStartAtLogin(!state.startAtLogin),
    },
    separator,
    state.quitting ? { label: 'Quitting…', enabled: false } : { label: 'Quit MediaCanon', click: () => actions.quit() },
  ];
}
