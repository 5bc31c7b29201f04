/** The `mediacanon` command as a user runs it: a real process, real signals. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../bin/mediacanon.mjs');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });

describe('mediacanon CLI', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints help for the command and each subcommand', () => {
    const main = run(['--help']);
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/serve .*\n.*migrate/s);
    const serve = run(['serve', '--help']);
    expect(serve.status).toBe(0);
    expect(serve.stdout).toContain('--port N');
  });

  it('exits 2 with a clear message on bad usage or configuration', () => {
    expect(run(['frobnicate'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("unknown command 'frobnicate'"),
    });
    expect(run(['serve', '--bogus'])).toMatchObject({ status: 2 });
    expect(run(['serve'], { PORT: 'x', MEDIACANON_DATA_DIR: dataDir })).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('PORT: must be a number'),
    });
  });

  it('syncs IMDb files from a directory, then skips them unchanged; exits 1 on missing files', () => {
    const sample = path.resolve(import.meta.dirname, '../data/imdb-sample');
    const env = { DATABASE_URL: '', MEDIACANON_DATA_DIR: dataDir };
    const first = run(['sync', 'imdb', '--from-dir', sample], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/imdb sync done/);
    const second = run(['sync', 'imdb', '--from-dir', sample], env);
    expect(second.stdout).toMatch(/skipped/);
    expect(run(['sync', 'imdb', '--from-dir', path.join(dataDir, 'nothing-here')], env).status).toBe(1);
    expect(run(['sync'], env)).toMatchObject({ status: 2, stderr: expect.stringContaining('sync needs a target') });
    // Four CLI processes, each compiling the app through tsx: slow on a loaded CI machine.
  }, 90_000);

  it('migrates a new SQLite database in the data directory', () => {
    const result = run(['migrate', '--data-dir', dataDir], { DATABASE_URL: '' });
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'mediacanon.db'))).toBe(true);
  });

  const serve = (env: Record<string, string>) =>
    spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], {
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
  const urlOf = (child: ReturnType<typeof serve>) =>
    new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /serving (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
    });

  it('imports the bundled IMDb sample on first start, and only then', async () => {
    const first = serve({});
    const url = await urlOf(first);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ catalogue: 'sample' });
    const titles = await (await fetch(`${url}/api/titles?per_page=1`)).json();
    expect(titles.total).toBeGreaterThan(1500);
    expect(await (await fetch(`${url}/`)).text()).toContain('bundled IMDb sample');
    first.kill('SIGTERM');
    await new Promise((resolve) => first.on('exit', resolve));
    const second = serve({});
    const again = await urlOf(second);
    expect((await (await fetch(`${again}/api/titles?per_page=1`)).json()).total).toBe(titles.total);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.on('exit', resolve));
  });

  it('serves until SIGTERM, then shuts down cleanly', async () => {
    const child = serve({ MEDIACANON_SAMPLE: 'off' });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /serving (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'sqlite', catalogue: 'empty' });
    expect(fs.statSync(path.join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('SIGTERM: shutting down');
  });
});
