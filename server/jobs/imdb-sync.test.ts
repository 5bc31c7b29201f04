import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/sql-runner.ts';
import { basicsLine, episodeLine, ratingLine, truncateFile, writeDataset } from '../imdb/test-datasets.ts';
import { createTestTarget, type TestTarget } from '../imdb/test-targets.ts';
import { createMemoryLogger } from '../logger.ts';
import { FILES_HASH_KEY, runImdbSync } from './imdb-sync.ts';
import { type JobMessage, parseJobMessage } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

const dataset = (showName: string) => ({
  basics: [
    basicsLine('tt0000001', 'movie', 'A Movie', { genres: 'Drama' }),
    basicsLine('tt0000002', 'tvSeries', showName, { start: 2001 }),
    basicsLine('tt0000003', 'tvEpisode', 'Pilot'),
  ],
  episodes: [episodeLine('tt0000003', 'tt0000002', 1, 1)],
  ratings: [ratingLine('tt0000001', '7.5', 1234)],
});

describeEachDialect('IMDb sync job', (dialect) => {
  let target: TestTarget;
  let db: Database;
  let dir: string;
  let dataDir: string;
  beforeEach(async () => {
    target = await createTestTarget(dialect);
    db = await target.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-sync-files-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-sync-data-'));
  });
  afterEach(async () => {
    await db.close();
    await target.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const config = () => ({ ...loadConfig({ MEDIACANON_DATA_DIR: dataDir }), database: target.target });
  const sync = (extra: { force?: boolean } = {}) =>
    runImdbSync({ config: config(), db, log: createMemoryLogger(), fromDir: dir, ...extra });
  const jobs = () => createSyncJobsRepository({ sql: db.sql }).list();

  it('imports, records the run and the files hash, then skips unchanged files unless forced', async () => {
    await writeDataset(dir, dataset('A Show'));
    const first = await sync();
    expect(first.status).toBe('succeeded');
    const [job] = await jobs();
    expect(job).toMatchObject({ kind: 'imdb', status: 'succeeded', error: null });
    expect(job?.stats).toMatchObject({ stages: { titles: { inserted: 2 } } });
    const hash = await db.sql.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = ${FILES_HASH_KEY}`);
    expect(hash?.value).toMatch(/^[0-9a-f]{64}$/);

    expect((await sync()).status).toBe('skipped');
    expect((await jobs())[0]).toMatchObject({ status: 'skipped' });
    expect((await sync({ force: true })).status).toBe('succeeded');
    expect((await jobs()).map((j) => j.status)).toEqual(['succeeded', 'skipped', 'succeeded']);
  });

  it('records a failed run, keeps the catalogue and the previous hash', async () => {
    await writeDataset(dir, dataset('A Show'));
    await sync();
    const before = await db.sql.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = ${FILES_HASH_KEY}`);
    const files = await writeDataset(dir, dataset('Renamed Show'));
    await truncateFile(files.basics);
    await expect(sync()).rejects.toThrow();
    const [job] = await jobs();
    expect(job?.status).toBe('failed');
    expect(job?.error).toBeTruthy();
    const after = await db.sql.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = ${FILES_HASH_KEY}`);
    expect(after?.value).toBe(before?.value);
    const names = await db.sql.all<{ display_name: string }>(sql`SELECT display_name FROM titles ORDER BY id`);
    expect(names.map((n) => n.display_name)).toEqual(['A Movie', 'A Show']);
  });

  it('names the file it cannot read, as the job error', async () => {
    const files = await writeDataset(dir, dataset('A Show'));
    fs.rmSync(files.episodes);
    fs.mkdirSync(files.episodes);
    await expect(sync()).rejects.toThrow(/^title\.episode\.tsv\.gz: cannot be read \(EISDIR/);
    const [job] = await jobs();
    expect(job).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^title\.episode\.tsv\.gz: cannot be read/),
    });
  });

  it('marks runs a crash left running as failed', async () => {
    const repo = createSyncJobsRepository({ sql: db.sql });
    await repo.start('imdb');
    expect(await repo.failAbandoned()).toBe(1);
    expect((await jobs())[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
  });
});

describe('IMDb sync child process', () => {
  let work: string;
  let server: http.Server | null = null;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-child-'));
  });
  afterEach(async () => {
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = null;
    fs.rmSync(work, { recursive: true, force: true });
  });

  const runChild = (
    args: string[],
    env: Record<string, string>,
    onMessage?: (m: JobMessage, send: (m: unknown) => void) => void,
  ) => {
    const child = fork(path.join(import.meta.dirname, 'imdb-sync.child.ts'), args, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: `sqlite:${path.join(work, 'mc.db')}`, MEDIACANON_DATA_DIR: work, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const messages: JobMessage[] = [];
    child.on('message', (raw) => {
      const message = parseJobMessage(raw);
      if (!message) return;
      messages.push(message);
      onMessage?.(message, (m) => child.send(m as never));
    });
    return new Promise<{ code: number | null; messages: JobMessage[] }>((resolve) =>
      child.on('exit', (code) => resolve({ code, messages })),
    );
  };

  it('says ready, reports progress and finishes with done', async () => {
    const files = path.join(work, 'files');
    fs.mkdirSync(files);
    await writeDataset(files, dataset('A Show'));
    const { code, messages } = await runChild(['--from-dir', files], {});
    expect(code).toBe(0);
    expect(messages[0]).toMatchObject({ type: 'ready', kind: 'imdb' });
    expect(messages.some((m) => m.type === 'progress')).toBe(true);
    expect(messages.some((m) => m.type === 'log')).toBe(true);
    expect(messages.at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
  });

  it('stops a stalled download when cancelled and records the run as cancelled', async () => {
    // A datasets host that sends headers and then nothing.
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write('x');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { code, messages } = await runChild([], { IMDB_DATASETS_URL: url }, (message, send) => {
      if (message.type === 'progress') send({ type: 'cancel' });
    });
    expect(code).not.toBe(0);
    expect(messages.at(-1)).toMatchObject({ type: 'failed', cancelled: true });
    expect(fs.readdirSync(path.join(work, 'imdb')).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});
