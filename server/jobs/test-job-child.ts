/**
 * For tests: forks a sync job's child entry against a database target, as the supervisor
 * would, collecting its messages. `onMessage` may act on the child (kill it, disconnect).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { DatabaseTarget } from '../config.ts';
import { type JobMessage, parseJobMessage } from './job-protocol.ts';

export interface ForkedJob {
  code: number | null;
  signal: NodeJS.Signals | null;
  seen: JobMessage[];
}

export function forkJobChild(
  kind: 'imdb' | 'tmdb',
  {
    target,
    dataDir,
    args = [],
    env = {},
    onMessage,
  }: {
    target: DatabaseTarget;
    dataDir: string;
    args?: string[];
    env?: Record<string, string>;
    onMessage?: (message: JobMessage, child: ChildProcess) => void;
  },
): Promise<ForkedJob> {
  const child = fork(path.join(import.meta.dirname, `${kind}-sync.child.ts`), args, {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: target.dialect === 'pg' ? target.url : `sqlite:${target.path}`,
      MEDIACANON_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const seen: JobMessage[] = [];
  child.on('message', (raw) => {
    const message = parseJobMessage(raw);
    if (!message) return;
    seen.push(message);
    onMessage?.(message, child);
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, seen })));
}

/** onMessage that SIGKILLs the child the first time `when` holds. */
export const killWhen =
  (when?: (message: JobMessage) => boolean) =>
  (message: JobMessage, child: ChildProcess): void => {
    if (when?.(message)) child.kill('SIGKILL');
  };
