/**
 * Which tray image to show. macOS takes black "Template" images and tints them for a light
 * or dark menu bar itself (Electron loads the @2x file beside it); other desktops get the
 * variant drawn for their theme. The busy variant says a job is running without opening
 * the menu. Images live in static/tray/ (drawn by scripts/tray-icons.mjs).
 */
import { runningJobs, type TrayState } from './tray-state.ts';

export interface TrayIconContext {
  platform: NodeJS.Platform;
  /** nativeTheme.shouldUseDarkColors: only matters where images are not templates. */
  dark: boolean;
}

export const isBusy = (state: TrayState) => runningJobs(state).length > 0;

export function trayIconFile(state: TrayState, { platform, dark }: TrayIconContext): string {
  const busy = isBusy(state);
  if (platform === 'darwin') return busy ? 'trayBusyTemplate.png' : 'trayTemplate.png';
  return `tray${busy ? '-busy' : ''}-${dark ? 'dark' : 'light'}.png`;
}

/** The tooltip says the same as the icon, in words. */
export function trayTooltip(state: TrayState): string {
  const job = runningJobs(state)[0];
  if (job) return `MediaCanon — ${job.kind} ${job.percent !== null ? `${Math.floor(job.percent)}%` : 'running'}`;
  return state.server.state === 'running' ? `MediaCanon — ${state.server.url}` : `MediaCanon — ${state.server.state}`;
}
