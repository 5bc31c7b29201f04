#!/usr/bin/env node
/**
 * `npm run build:main`: bundles the Electron main process (main/index.ts and what it
 * imports) into out/main/index.js, the entry package.json names. Only main is bundled:
 * the server runs in a child process through tsx, from server/ as it is in the repository,
 * so the same files run under the CLI, in tests and in the app. Packages stay external
 * (electron is provided by Electron; the rest ship in node_modules).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  absWorkingDir: root,
  entryPoints: ['main/index.ts'],
  outfile: 'out/main/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Electron 45 ships Node 22.
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'info',
});
