/** Undo steps for the bench, and child processes that are always stopped on the way out. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, JobReply, JobResult } from './jobs.ts';

/** Undo steps, run last-in first-out, each bounded in time and none able to stop the rest. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<unknown> | unknown }[] = [];
  private running: Promise<void> | null = null;

  add(label: string, run: () => Promise<unknown> | unknown) {
    const step = { label, run };
    this.steps.push(step);
    // Undoes the step now (e.g. a database no longer needed) instead of at exit.
    return async () => {
      const at = this.steps.indexOf(step);
      if (at === -1) return;
      this.steps.splice(at, 1);
      await run();
    };
  }

  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        const { label, run } = step;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(run),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timed out after 30 s')), 30_000);
            }),
          ]);
        } catch (error) {
          console.error(`cleanup: ${label} failed: ${(error as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}

export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}

/** Stops a child if it is still running (SIGKILL: it may be mid-COPY or mid-transaction). */
export function killChild(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface ChildRun<K extends Job['kind']> {
  result: JobResult<K>;
  /** process.resourceUsage().maxRSS of the child, in bytes: its peak, startup included. */
  maxRssBytes: number;
  /** Fork to exit, process start-up included. */
  processMs: number;
}

/**
 * Runs one job (child.ts) in a process of its own, so its peak RSS is the job's alone, and
 * resolves to what the child sent back. Its output goes to this terminal.
 */
export async function runJob<K extends Job['kind']>(
  job: Extract<Job, { kind: K }>,
  cleanup: Cleanup,
): Promise<ChildRun<K>> {
  const started = performance.now();
  const child = fork(fileURLToPath(new URL('./child.ts', import.meta.url)), [], {
    env: { ...process.env, BENCH_IMPORT_JOB: JSON.stringify(job) },
    stdio: 'inherit',
  });
  const forget = cleanup.add(`stop the ${job.kind} process`, () => killChild(child));
  let reply: JobReply<K> | null = null;
  child.on('message', (message: JobReply<K>) => {
    reply = message;
  });
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? 'unknown'));
  });
  const processMs = performance.now() - started;
  await forget();
  const got = reply as JobReply<K> | null;
  if (got && !got.ok) throw new BenchCheckError(`the ${job.kind} process failed: ${got.error}`);
  if (code !== 0 || !got) throw new BenchCheckError(`the ${job.kind} process failed (exit ${code})`);
  return { result: got.result, maxRssBytes: got.maxRssBytes, processMs };
}
