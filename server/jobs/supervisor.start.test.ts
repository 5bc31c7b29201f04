/**
 * The supervisor as startServer wires it, over real HTTP: the tray's sign-in link, token
 * rotation, and a quit while a real IMDb child is importing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { adminTokenFile } from '../admin-token.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import { createMemoryLogger } from '../logger.ts';
import { type RunningServer, startServer } from '../start.ts';

const SAMPLE_DIR = path.join(import.meta.dirname, '../../data/imdb-sample');

let work: string;
let server: RunningServer | null = null;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-start-jobs-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  fs.rmSync(work, { recursive: true, force: true });
});

const start = (env: Record<string, string> = {}) =>
  startServer({
    config: loadConfig({ MEDIACANON_DATA_DIR: work, MEDIACANON_SAMPLE: 'off', PORT: '0', ...env }),
    log: createMemoryLogger(),
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('signs the owner in from signInUrl(), and rotates the admin token at once', async () => {
  server = await start({ HOST: '0.0.0.0' });
  const link = server.signInUrl();
  expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/auth/sign-in\\?token=[\\w-]{43}$`));
  const signedIn = await fetch(link, { redirect: 'manual' });
  expect(signedIn.status).toBe(303);
  const cookie = /^(mc_session=[^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const origin = `http://127.0.0.1:${server.port}`;
  const jobs = await fetch(`${origin}/api/admin/jobs`, { headers: { cookie } });
  expect(jobs.status).toBe(200);

  const old = fs.readFileSync(adminTokenFile(work), 'utf8').trim();
  const fresh = server.rotateAdminToken();
  expect(fs.readFileSync(adminTokenFile(work), 'utf8').trim()).toBe(fresh);
  const get = (headers: Record<string, string>) => fetch(`${origin}/api/admin/jobs`, { headers });
  expect((await get({ authorization: `Bearer ${old}` })).status).toBe(401);
  expect((await get({ cookie })).status).toBe(401);
  expect((await get({ authorization: `Bearer ${fresh}` })).status).toBe(200);
});

it('closes promptly while a client holds the job event stream open', async () => {
  const token = 'event-stream-test-token-0123456789';
  server = await start({ ADMIN_TOKEN: token });
  const events = await fetch(`${server.url}/api/admin/jobs/events`, { headers: { authorization: `Bearer ${token}` } });
  expect(events.headers.get('content-type')).toBe('text/event-stream');
  const reader = (events.body as ReadableStream<Uint8Array>).getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^event: snapshot\ndata: \{"running":\[\]/);
  const started = Date.now();
  await server.close();
  server = null;
  expect(Date.now() - started).toBeLessThan(3000);
  // The stream ends cleanly (the server closed it), not with a reset.
  expect((await reader.read()).done).toBe(true);
});

it('refuses to rotate a token set in ADMIN_TOKEN', async () => {
  server = await start({ ADMIN_TOKEN: 'from-the-environment-0123456789' });
  expect(() => server?.rotateAdminToken()).toThrow(/ADMIN_TOKEN/);
});

it('ends a running job child on close, before the database closes', async () => {
  server = await start();
  const job = server.jobs.start('imdb', { fromDir: SAMPLE_DIR, force: true });
  const pid = job.pid as number;
  expect(alive(pid)).toBe(true);
  await server.close();
  server = null;
  const result = await job.finished;
  // The sample imports in about a second: the run may finish before the cancel lands.
  expect(['cancelled', 'succeeded']).toContain(result.status);
  expect(alive(pid)).toBe(false);
  const db = await openDatabase({ dialect: 'sqlite', path: path.join(work, 'mediacanon.db') });
  try {
    expect(await db.sql.all(sql`SELECT kind, status FROM sync_jobs`)).toEqual([
      { kind: 'imdb', status: result.status },
    ]);
  } finally {
    await db.close();
  }
}, 60_000);
