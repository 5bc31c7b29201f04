#!/usr/bin/env node
/**
 * `npm run dist [-- electron-builder flags]`: bundles main/, packages the app with
 * electron-builder (electron-builder.yml), then puts Node's build of better-sqlite3 back.
 * electron-builder rebuilds native modules for Electron's ABI in node_modules itself
 * (npmRebuild); left that way, `npm test` and `mediacanon serve` under Node could not load
 * better-sqlite3. So the Electron build exists only while packaging.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  console.log(`dist: ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

/**
 * tsx runs the server through esbuild's native binary, and npm installs only this
 * machine's. A Mac build makes both architectures, so both binaries must be there to ship.
 */
function installEsbuildBinariesForMac() {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'esbuild', 'package.json'), 'utf8'));
  const missing = ['arm64', 'x64']
    .map((arch) => `@esbuild/darwin-${arch}`)
    .filter((name) => !fs.existsSync(path.join(root, 'node_modules', name)));
  if (missing.length === 0) return 0;
  return run(npm, ['install', '--no-save', '--force', ...missing.map((name) => `${name}@${version}`)]);
}

const buildsMac = process.platform === 'darwin' && !process.argv.slice(2).some((arg) => /^--(linux|win)/.test(arg));
let status = buildsMac ? installEsbuildBinariesForMac() : 0;
if (status === 0) status = run(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')]);
if (status === 0) {
  status = run(process.execPath, [
    path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
    '--config',
    'electron-builder.yml',
    ...process.argv.slice(2),
  ]);
  // Whatever happened, tests and the CLI need Node's ABI back.
  const restored = run(npm, ['rebuild', 'better-sqlite3']);
  if (restored !== 0)
    console.error('dist: could not restore better-sqlite3 for Node; run `npm rebuild better-sqlite3`');
}
process.exit(status);
