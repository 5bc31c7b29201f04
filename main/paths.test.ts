import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths, unpackedPath } from './paths.ts';

const repoRoot = path.join(import.meta.dirname, '..');

describe('app paths', () => {
  it('finds every file the tray needs in a checkout', () => {
    const paths = resolveAppPaths({
      appRoot: repoRoot,
      isPackaged: false,
      platform: process.platform,
      arch: process.arch,
    });
    for (const file of [
      paths.hostChild,
      paths.trayIcon('trayTemplate.png'),
      paths.trayIcon('tray-busy-dark.png'),
      paths.logWindowHtml,
      paths.logWindowPreload,
    ]) {
      expect(fs.existsSync(file), file).toBe(true);
    }
    expect(paths.tsxLoader).toMatch(/^file:\/\//);
    expect(fs.existsSync(fileURLToPath(paths.tsxLoader ?? ''))).toBe(true);
    // Only a packaged app needs esbuild pointed at an unpacked copy.
    expect(paths.esbuildBinary).toBeNull();
  });

  it('maps files inside the asar archive to their unpacked copies', () => {
    expect(
      unpackedPath('/Applications/MediaCanon.app/Contents/Resources/app.asar/node_modules/@esbuild/x/bin/esbuild'),
    ).toBe('/Applications/MediaCanon.app/Contents/Resources/app.asar.unpacked/node_modules/@esbuild/x/bin/esbuild');
    expect(unpackedPath('/opt/app.asarx/file')).toBe('/opt/app.asarx/file');
  });
});
