#!/usr/bin/env node
/**
 * `npm start`: the tray app where Electron can run, otherwise the same server headless.
 * Electron cannot run without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD installs) or
 * without a display (servers, CI); then the server starts on its own and says why.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mainEntry = path.join(root, 'out', 'main', 'index.js');

function electronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when it was never downloaded.
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function whyNoTray() {
  if (process.env.MEDIACANON_HEADLESS === '1') return 'MEDIACANON_HEADLESS=1';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display';
  if (!electronBinary()) return 'the Electron binary is not installed';
  if (!fs.existsSync(mainEntry)) return 'the tray app is not built (out/main/index.js is missing)';
  return null;
}

const reason = whyNoTray();
const [command, args] = reason
  ? [process.execPath, [path.join(root, 'bin', 'mediacanon.mjs'), 'serve', ...process.argv.slice(2)]]
  : [electronBinary(), [root, ...process.argv.slice(2)]];
if (reason) console.log(`mediacanon: starting the server headless (${reason}).`);

const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
