/**
 * A desktop notification when a job ends, so the owner need not watch the menu. Only the
 * end of a run is worth interrupting someone for; cancelling is the owner's own doing.
 */
import type { JobEventView } from '../server/host-protocol.ts';
import { jobName } from './tray-menu.ts';

export interface JobNotice {
  title: string;
  body: string;
}

export function jobNotice(event: JobEventView): JobNotice | null {
  if (event.type !== 'finished') return null;
  const name = jobName(event.kind);
  const capitalised = name.charAt(0).toUpperCase() + name.slice(1);
  switch (event.status) {
    case 'succeeded':
      return { title: `${capitalised} finished`, body: 'The catalogue is up to date.' };
    case 'skipped':
      return { title: `${capitalised} finished`, body: 'Nothing changed since the last run.' };
    case 'failed':
    case 'crashed':
      return { title: `${capitalised} failed`, body: event.error ?? 'See the log for details.' };
    case 'cancelled':
      return null;
  }
}

/** The supervisor would not start a job the owner asked for: say why, or the click did nothing visible. */
export const refusalNotice = (kind: string, reason: string): JobNotice => ({
  title: `Could not start the ${jobName(kind)}`,
  body: reason,
});

/** `show` is Electron's `new Notification({ title, body }).show()`, injected. */
export function createJobNotifier({ show, supported }: { show(notice: JobNotice): void; supported(): boolean }) {
  return (event: JobEventView) => {
    const notice = jobNotice(event);
    if (notice && supported()) show(notice);
  };
}
