#!/usr/bin/env node
/**
 * `npm start`: the tray app where Electron can run, otherwise the same server headless.
 * Electron cannot run without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD installs) or
 * without a display (servers, CI); then the server starts on its own and says why.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mainEntry = path.join(root, 'out', 'main', 'index.js');

/**
 * The Electron binary, found the way the electron package finds it (path.txt names it
 * inside dist/), without require('electron'): that would start a download where the
 * binary is missing, and this command must fall back at once instead.
 */
function electronBinary() {
  try {
    const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const name = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = override ? path.join(override, name) : path.join(electronDir, 'dist', name);
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Bundles main/ (a fraction of a second) so `npm start` never runs a stale tray. */
function buildMain() {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return result.status === 0;
}

function whyNoTray() {
  if (process.env.MEDIACANON_HEADLESS === '1') return 'MEDIACANON_HEADLESS=1';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display';
  if (!electronBinary()) {
    return 'the Electron binary is not installed; `node node_modules/electron/install.js` downloads it';
  }
  if (!buildMain() && !fs.existsSync(mainEntry)) return 'the tray app could not be built (npm run build:main)';
  return null;
}

const reason = whyNoTray();
const [command, args] = reason
  ? [process.execPath, [path.join(root, 'bin', 'mediacanon.mjs'), 'serve', ...process.argv.slice(2)]]
  : [electronBinary(), [root, ...process.argv.slice(2)]];
if (reason) console.log(`mediacanon: starting the server headless (${reason}).`);

const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// The server ignores SIGHUP (a closed terminal); so must this launcher, or it leaves the server orphaned.
process.on('SIGHUP', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
