/**
 * Child-process entry (forked by run.ts through runJob): runs one job from BENCH_IMPORT_JOB
 * and sends the result with this process's peak RSS over IPC. Each measured step runs in a
 * fresh process, so its peak RSS is its own; every job loads the same modules (statically,
 * here), so the 'baseline' job shows what a child costs before it does anything.
 */
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/dialect.ts';
import { importImdbDataset } from '../../server/imdb/import.ts';
import { runImdbSync } from '../../server/jobs/imdb-sync.ts';
import { createMemoryLogger } from '../../server/logger.ts';
import { rawFloor } from './floor.ts';
import type { Job, JobReply, JobResult, SyncResult, SyncRun } from './jobs.ts';
import { writeFloor } from './write-floor.ts';

async function run(job: Job, log: (line: string) => void): Promise<JobResult<Job['kind']>> {
  switch (job.kind) {
    case 'baseline':
      return { modules: 1 };
    case 'floor':
      return rawFloor(job.target, job.dir, log);
    case 'writeFloor':
      return writeFloor(job.target, job.source);
    case 'import': {
      const started = performance.now();
      const stats = await importImdbDataset({
        target: job.target,
        dir: job.dir,
        baselineDir: job.baselineDir,
        log: { info: (message) => log(message) },
      });
      return { ms: performance.now() - started, stats };
    }
    case 'sync':
      return syncTwice(job, log);
  }
}

async function syncTwice(job: Extract<Job, { kind: 'sync' }>, log: (line: string) => void): Promise<SyncResult> {
  const config = {
    ...loadConfig({ MEDIACANON_DATA_DIR: job.dataDir, MEDIACANON_SAMPLE: 'off' }),
    database: job.target,
  };
  const db = await openDatabase(job.target);
  const logger = createMemoryLogger();
  const runs: SyncRun[] = [];
  try {
    for (const attempt of ['first', 'second']) {
      const started = performance.now();
      const result = await runImdbSync({ config, db, log: logger, fromDir: job.dir });
      const ms = performance.now() - started;
      runs.push({ status: result.status, ms, stats: result.stats });
      log(`sync (${attempt} run): ${result.status} in ${Math.round(ms)} ms`);
    }
  } finally {
    await db.close();
  }
  const problems = logger.lines.filter((line) => line.startsWith('ERROR') || line.startsWith('WARN'));
  return { runs, problems };
}

const raw = process.env.BENCH_IMPORT_JOB;
if (!raw || !process.send) {
  console.error('child.ts is started by bench/import/run.ts');
  process.exit(2);
}
const job = JSON.parse(raw) as Job;
const log = (line: string) => console.log(`[${job.label}] ${line}`);
let reply: JobReply<Job['kind']>;
try {
  const cpuAtStart = process.cpuUsage();
  const result = await run(job, log);
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  reply = { ok: true, result, maxRssBytes: process.resourceUsage().maxRSS * 1024, cpuMs };
} catch (error) {
  reply = { ok: false, error: (error as Error).stack ?? String(error) };
}
await new Promise<void>((resolve) => process.send?.(reply, undefined, {}, () => resolve()));
process.exit(reply.ok ? 0 : 1);
