import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';
import { type HostMessage, parseHostMessage } from './host-protocol.ts';
import { logFilePath } from './logger.ts';

const children: ChildProcess[] = [];
// A data directory is removed only once no child can still write into it.
const tempDir = tempDirs({ children });

const tempDataDir = () => tempDir('mediacanon-host-');

function startHost(env: Record<string, string>) {
  const child = fork(path.join(import.meta.dirname, 'host.child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MEDIACANON_SAMPLE: 'off', DATABASE_URL: '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.push(child);
  const messages: HostMessage[] = [];
  const next = (type: HostMessage['type']) =>
    new Promise<HostMessage>((resolve, reject) => {
      const seen = messages.find((m) => m.type === type);
      if (seen) return resolve(seen);
      const onMessage = (raw: unknown) => {
        const message = parseHostMessage(raw);
        if (message?.type === type) resolve(message);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`host exited (${code}) before ${type}`)));
    });
  child.on('message', (raw) => {
    const message = parseHostMessage(raw);
    if (message) messages.push(message);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, next, exited, messages };
}

describe('host.child', { timeout: 60_000 }, () => {
  it('reports where it listens, serves, and shuts down on command', async () => {
    const dataDir = tempDataDir();
    const host = startHost({ PORT: '0', MEDIACANON_DATA_DIR: dataDir });
    const listening = await host.next('listening');
    if (listening.type !== 'listening') throw new Error('unreachable');
    expect(listening.port).toBeGreaterThan(0);
    expect(listening.url).toBe(`http://127.0.0.1:${listening.port}`);
    const health = await fetch(`${listening.url}/healthz`);
    expect(health.status).toBe(200);

    host.child.send({ type: 'shutdown' });
    expect(await host.exited).toBe(0);
    await expect(fetch(`${listening.url}/healthz`)).rejects.toThrow();
    expect(fs.readFileSync(logFilePath(dataDir), 'utf8')).toMatch(
      /INFO \[server\] MediaCanon serving http:\/\/127\.0\.0\.1/,
    );
  });

  it('hands out a working sign-in link and forwards job events and snapshots', async () => {
    const dataDir = tempDataDir();
    // Nothing listens on port 9 here: the sync fails fast, which is all this needs.
    const host = startHost({ PORT: '0', MEDIACANON_DATA_DIR: dataDir, IMDB_DATASETS_URL: 'http://127.0.0.1:9' });
    const listening = await host.next('listening');
    if (listening.type !== 'listening') throw new Error('unreachable');

    host.child.send({ type: 'sign-in-url-request', requestId: 41 });
    const signIn = await host.next('sign-in-url');
    if (signIn.type !== 'sign-in-url' || !signIn.url) throw new Error('no sign-in URL');
    expect(signIn.requestId).toBe(41);
    expect(new URL(signIn.url).origin).toBe(listening.url);
    const response = await fetch(signIn.url, { redirect: 'manual' });
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    host.child.send({ type: 'start-job', kind: 'imdb', force: false });
    const finished = await new Promise<HostMessage>((resolve) =>
      host.child.on('message', (raw) => {
        const message = parseHostMessage(raw);
        if (message?.type === 'job-event' && message.event.type === 'finished') resolve(message);
      }),
    );
    expect(finished).toMatchObject({ event: { kind: 'imdb', status: 'failed' } });
    host.child.send({ type: 'start-job', kind: 'nonsense' });
    expect(await host.next('job-refused')).toEqual({
      type: 'job-refused',
      kind: 'nonsense',
      reason: 'there is no nonsense job',
    });
    const snapshots = host.messages.filter((m) => m.type === 'jobs');
    expect(snapshots.some((m) => m.type === 'jobs' && m.jobs.some((job) => job.state === 'running'))).toBe(true);
    host.child.send({ type: 'shutdown' });
    expect(await host.exited).toBe(0);

    // Started again, the tray still learns how the last sync ended (from the job history).
    const again = startHost({ PORT: '0', MEDIACANON_DATA_DIR: dataDir });
    expect(await again.next('jobs')).toMatchObject({ jobs: [{ kind: 'imdb', state: 'failed' }] });
    again.child.send({ type: 'shutdown' });
    expect(await again.exited).toBe(0);
  });

  it('a shutdown sent while the server is still starting is carried out, not lost', async () => {
    const dataDir = tempDataDir();
    const host = startHost({ PORT: '0', MEDIACANON_DATA_DIR: dataDir });
    host.child.send({ type: 'shutdown' });
    expect(await host.exited).toBe(0);
    expect(host.messages.map((m) => m.type)).not.toContain('listening');
  });

  it('says the port is taken instead of crashing silently', async () => {
    const dataDir = tempDataDir();
    const first = startHost({ PORT: '0', MEDIACANON_DATA_DIR: dataDir });
    const listening = await first.next('listening');
    if (listening.type !== 'listening') throw new Error('unreachable');
    const second = startHost({
      PORT: String(listening.port),
      MEDIACANON_DATA_DIR: tempDataDir(),
    });
    expect(await second.next('listen-failed')).toMatchObject({ code: 'EADDRINUSE' });
    expect(await second.exited).toBe(1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
