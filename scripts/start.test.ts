import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';

const startScript = path.join(import.meta.dirname, 'start.mjs');

const tempDir = tempDirs();

/** Runs `npm start`'s script until the server says where it serves, then stops it with SIGTERM. */
async function startHeadless(env: Record<string, string>) {
  const base = { ...process.env };
  delete base.DISPLAY;
  delete base.WAYLAND_DISPLAY;
  delete base.MEDIACANON_HEADLESS;
  const child = spawn(process.execPath, [startScript], {
    env: {
      ...base,
      MEDIACANON_DATA_DIR: tempDir('mediacanon-start-'),
      MEDIACANON_SAMPLE: 'off',
      DATABASE_URL: '',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (/MediaCanon serving http:\/\/127\.0\.0\.1:\d+/.test(output)) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`start.mjs exited early:\n${output}`));
      }
    }, 50);
  });
  child.kill('SIGTERM');
  return { output, code: await exited };
}

describe('npm start', { timeout: 60_000 }, () => {
  it('falls back to the headless server where there is no display, saying so', async () => {
    const { output, code } = await startHeadless({});
    expect(output).toContain('mediacanon: starting the server headless (no display).');
    expect(code).toBe(0);
  });

  it('falls back where the Electron binary is missing, saying so', async () => {
    const { output, code } = await startHeadless({
      DISPLAY: ':99',
      ELECTRON_OVERRIDE_DIST_PATH: tempDir('no-electron-'),
    });
    expect(output).toMatch(/starting the server headless \(the Electron binary is not installed; .*downloads it\)/);
    expect(output).not.toContain('Downloading Electron');
    expect(code).toBe(0);
  });
});
