/** --dialect both: each dialect in a child process of its own, one after the other. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DialectName } from '../shared/options.ts';
import { childArgs, type Options } from './options.ts';

const RUN = fileURLToPath(new URL('./run.ts', import.meta.url));

/** Runs one dialect's child to its end; its exit code. */
function runChild(
  dialect: DialectName,
  options: Options,
  loadBefore: number,
  started: (child: ReturnType<typeof spawn>) => void,
) {
  const child = spawn(process.execPath, [...process.execArgv, RUN, ...childArgs(options, dialect)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_LOAD_BEFORE: String(loadBefore) },
  });
  started(child);
  return new Promise<number>((resolve) => {
    child.once('error', (error) => {
      console.error(`bench:api: could not start the ${dialect} run: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
}

export async function runBoth(options: Options): Promise<number> {
  let interrupted: NodeJS.Signals | null = null;
  let current: ReturnType<typeof spawn> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    // A terminal's ^C reaches the child too; a signal sent to this process alone is passed on.
    current?.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const failed: string[] = [];
  const loadBefore = os.loadavg()[0] ?? 0;
  for (const dialect of ['sqlite', 'pg'] as const) {
    if (interrupted) break;
    const code = await runChild(dialect, options, loadBefore, (child) => {
      current = child;
    });
    current = null;
    if (code !== 0) failed.push(`${dialect} (exit ${code})`);
  }
  if (interrupted) return 130;
  if (failed.length > 0) console.error(`bench:api: failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}
