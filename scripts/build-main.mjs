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
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** package.json's "main"; --outfile elsewhere lets a test build without touching it. */
export const MAIN_OUTFILE = 'out/main/index.js';
const { values } = parseArgs({ options: { outfile: { type: 'string' } } });

await build({
  absWorkingDir: root,
  entryPoints: ['main/index.ts'],
  outfile: values.outfile ?? MAIN_OUTFILE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Electron 45 ships Node 22.
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'info',
});
