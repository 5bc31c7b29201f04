/** One job (child.ts) run in a child process that is always stopped on the way out. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchCheckError } from '../shared/bench-check-error.ts';
import type { Cleanup } from '../shared/cleanup.ts';
import type { Job, JobReply, JobResult } from './jobs.ts';

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
  /** CPU time of the job in its process (user + system), start-up excluded. */
  cpuMs: number;
  /** CPU time the PostgreSQL server spent from fork to exit, when it can be read. */
  serverCpuMs: number | null;
}

/**
 * Runs one job (child.ts) in a process of its own, so its peak RSS is the job's alone, and
 * resolves to what the child sent back. Its output goes to this terminal.
 */
export async function runJob<K extends Job['kind']>(
  job: Extract<Job, { kind: K }>,
  cleanup: Cleanup,
  serverCpu: (() => number) | null = null,
): Promise<ChildRun<K>> {
  const serverCpuAtStart = serverCpu?.() ?? null;
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
  const serverCpuMs = serverCpu && serverCpuAtStart !== null ? serverCpu() - serverCpuAtStart : null;
  return { result: got.result, maxRssBytes: got.maxRssBytes, processMs, cpuMs: got.cpuMs, serverCpuMs };
}
