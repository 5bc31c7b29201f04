/**
 * The real composition root (out/main/index.js, as Electron would load it) under plain
 * Node, with Electron and electron-log replaced by the fakes in main/testing/: it must
 * fork the real server child, show its URL in the menu, write the shared log, and quit
 * gracefully on SIGTERM. No Electron is launched.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';

const root = path.join(import.meta.dirname, '..');
const running: ChildProcess[] = [];
// A home is removed only once the app that writes into it has exited.
const tempDir = tempDirs({ children: running });

const tempHome = () => tempDir('mediacanon-smoke-');

type Event = { event: string } & Record<string, unknown>;

function launch(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', './main/testing/register-fake-electron.mjs', path.join('out', 'main', 'index.js')],
    {
      cwd: root,
      env: { ...process.env, MEDIACANON_SAMPLE: 'off', DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  running.push(child);
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{"event"')) return;
    events.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  });
  const until = (match: (event: Event) => boolean) =>
    new Promise<Event>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (found) return resolve(found);
        if (child.exitCode !== null)
          return reject(new Error(`main exited (${child.exitCode}): ${JSON.stringify(events)}`));
        waiters.push(check);
      };
      check();
      child.once('exit', check);
    });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, events, until, exited };
}

describe('main/index.ts under fake Electron', () => {
  it('starts the server child, shows its URL, logs to the shared file, and quits on SIGTERM', async () => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')], { stdio: 'ignore' });
    const home = tempHome();
    const main = launch({ FAKE_ELECTRON_HOME: home });

    const menu = await main.until(
      (e) => e.event === 'tray-menu' && String((e.labels as string[])[0]).startsWith('Server running'),
    );
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(String((menu.labels as string[])[0]))?.[0];
    expect(url).toBeDefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(main.events.some((e) => e.event === 'dock-hidden')).toBe(true);
    expect(main.events.some((e) => e.event === 'sandbox-enabled')).toBe(true);
    expect(main.events.find((e) => e.event === 'tray-image')?.file).toMatch(/static\/tray\/tray-light\.png$/);

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    const order = main.events.map((e) => e.event).filter((e) => e === 'tray-destroyed' || e === 'exit');
    expect(order).toEqual(['tray-destroyed', 'exit']);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    const log = fs.readFileSync(path.join(home, 'userData', 'logs', 'mediacanon.log'), 'utf8');
    expect(log).toMatch(/ info \[main\] server listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(log).toMatch(/ INFO \[server\] MediaCanon serving http:\/\/127\.0\.0\.1:\d+/);
    expect(log).toMatch(/ INFO \[server\] shutdown: shutting down/);
  }, 60_000);

  it('a second instance quits at once without starting a server', async () => {
    const home = tempHome();
    const main = launch({ FAKE_ELECTRON_HOME: home, FAKE_ELECTRON_SECOND_INSTANCE: '1' });
    expect(await main.exited).toBe(0);
    expect(main.events.map((e) => e.event)).not.toContain('tray-created');
  }, 60_000);
});
