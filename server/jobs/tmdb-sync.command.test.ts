/** `mediacanon sync tmdb` and the backfill after `sync imdb`, as a user runs them: a real process. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTmdb, KNOWN, startFakeTmdb } from '../../test/fake-tmdb/fake-tmdb.ts';
import { openDatabase } from '../db/dialect.ts';
import { basicsLine, ratingLine, writeDataset } from '../imdb/test-datasets.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/mediacanon.mjs');

// Asynchronous: the fake TMDB answers from this process while the command runs.
function run(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (status) => resolve({ status, out }));
  });
}

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
});
afterAll(() => fake.close());

describe('mediacanon sync tmdb', () => {
  let dataDir: string;
  let files: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    fake.requests.length = 0;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-tmdb-'));
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-tmdb-files-'));
    await writeDataset(files, {
      basics: [
        basicsLine(KNOWN.movie.imdbId, 'movie', 'Star Wars', { start: 1977 }),
        basicsLine('tt9999999', 'movie', 'Nobody Knows', { start: 2001 }),
      ],
      episodes: [],
      ratings: [ratingLine(KNOWN.movie.imdbId, '8.6', 1_500_000)],
    });
    env = {
      DATABASE_URL: '',
      MEDIACANON_DATA_DIR: dataDir,
      MEDIACANON_SAMPLE: 'off',
      TMDB_API_URL: fake.url,
      TMDB_API_KEY: '',
      TMDB_ACCESS_TOKEN: '',
    };
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  const starWars = async () => {
    const db = await openDatabase({ dialect: 'sqlite', path: path.join(dataDir, 'mediacanon.db') });
    try {
      return await db.sql.get<Record<string, unknown>>(
        sql`SELECT tmdb_id, image_url, runtime_minutes, needs_backfill_tmdb FROM titles WHERE imdb_id = ${KNOWN.movie.imdbId}`,
      );
    } finally {
      await db.close();
    }
  };

  it('refuses bad usage and a missing key with exit code 2', async () => {
    expect(await run(['sync', 'tmdb', '--limit', '0'], env)).toMatchObject({
      status: 2,
      out: expect.stringContaining('--limit'),
    });
    expect(await run(['sync', 'tmdb', '--from-dir', files], env)).toMatchObject({ status: 2 });
    expect(await run(['sync', 'imdb', '--reset'], env)).toMatchObject({ status: 2 });
    const noKey = await run(['sync', 'tmdb'], env);
    expect(noKey.status).toBe(2);
    expect(noKey.out).toMatch(/TMDB is off or has no key/);
  });

  it('runs the backfill after an IMDb import when a key is set, then on its own with --limit and --reset', async () => {
    const withKey = { ...env, TMDB_ACCESS_TOKEN: fake.token };
    const imported = await run(['sync', 'imdb', '--from-dir', files], withKey);
    expect(imported.out).toMatch(/imdb sync done/);
    expect(imported.out).toMatch(/tmdb sync done: 2 titles/);
    expect(imported.status).toBe(0);
    expect(await starWars()).toMatchObject({
      tmdb_id: 11,
      image_url: 'https://image.tmdb.org/t/p/w500/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
      runtime_minutes: 121,
    });
    expect(imported.out).not.toContain(fake.token);

    const again = await run(['sync', 'tmdb', '--reset', '--limit', '1'], withKey);
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/tmdb sync done: 1 titles/);
  }, 60_000);
});
