/** The fill (fill.ts) run in a child process. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from '../shared/cleanup.ts';
import type { DialectName } from '../shared/options.ts';
import type { FillStep } from './fill.sqlite.ts';
import { BenchCheckError } from './measure.ts';
import type { Options } from './options.ts';

/** Runs fill.ts in a child process, so the fill's memory stays out of this process's RSS. */
export async function fillInChild(dialect: DialectName, target: string, options: Options, cleanup: Cleanup) {
  const child = fork(
    fileURLToPath(new URL('./fill.ts', import.meta.url)),
    ['--dialect', dialect, '--titles', String(options.titles), '--seed', String(options.seed)],
    { env: { ...process.env, BENCH_FILL_TARGET: target }, stdio: 'inherit' },
  );
  cleanup.add('stop the fill process', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let steps: FillStep[] | null = null;
  child.on('message', (message: { steps?: FillStep[] }) => {
    steps = message.steps ?? null;
  });
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? 'unknown'));
  });
  if (code !== 0 || !steps) throw new BenchCheckError(`the ${dialect} fill failed (exit ${code})`);
  return steps as FillStep[];
}
