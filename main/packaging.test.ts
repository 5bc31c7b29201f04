/**
 * electron-builder.yml checked without packaging (that needs Electron's binaries): against
 * electron-builder's own schema, for what the issue requires of the app, and for every
 * path it ships or that main/paths.ts expects at run time being in the shipped tree.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';
import { resolveAppPaths } from './paths.ts';

const root = path.join(import.meta.dirname, '..');
const tempDir = tempDirs();
interface Target {
  target: string;
  arch?: string[];
}
/** The part of electron-builder's configuration these checks read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  mac: {
    target: Target[];
    icon: string;
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    extendInfo: Record<string, unknown>;
  };
  linux: { target: Target[]; icon: string };
}
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The folder or file a pattern starts from: `server/**` → `server`. */
const patternBase = (pattern: string) =>
  pattern
    .split('/')
    .filter((part) => !/[*?{[]/.test(part))
    .join('/');
const GLOB_PARTS: Record<string, string> = { '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*' };
const globToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split(/(\*\*\/|\*\*|\*)/)
      .map((part) => GLOB_PARTS[part] ?? part.replace(/[.+?^$()|[\]{}\\]/g, '\\$&'))
      .join('')}$`,
  );
/** Whether electron-builder's `files` would put this repository file into the app. */
function shipped(file: string): boolean {
  const patterns = config.files as string[];
  const included = patterns.some((p) => !p.startsWith('!') && globToRegExp(p).test(file));
  const excluded = patterns.some((p) => p.startsWith('!') && globToRegExp(p.slice(1)).test(file));
  return included && !excluded;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own configuration schema', async () => {
    const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
    const { validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config.js');
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, mac: { ...config.mac, LSUIElement: true } }, { isEnabled: false, add() {} }),
    ).rejects.toThrow(/configuration/);
  });

  it('names the app and builds dmg and zip for both Mac architectures, and an AppImage', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('MediaCanon');
    for (const kind of ['dmg', 'zip']) {
      const target = config.mac.target.find((t) => t.target === kind);
      expect(target?.arch, kind).toEqual(expect.arrayContaining(['arm64', 'x64']));
    }
    expect(config.linux.target.map((t) => t.target)).toContain('AppImage');
  });

  it('is a signed-ready menu-bar app: LSUIElement, hardened runtime, entitlements that exist', () => {
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.mac.hardenedRuntime).toBe(true);
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const plist = fs.readFileSync(path.join(root, config.mac[key as 'entitlements' | 'entitlementsInherit']), 'utf8');
      expect(plist, key).toContain('com.apple.security.cs.allow-jit');
      expect(plist, key).toContain('com.apple.security.network.server');
    }
    for (const icon of [config.mac.icon, config.linux.icon]) {
      expect(fs.readFileSync(path.join(root, icon)).readUInt32BE(16), icon).toBeGreaterThanOrEqual(512);
    }
  });

  it('unpacks the native code from the asar and rebuilds it at packaging time only', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/@esbuild/**']),
    );
    expect(config.npmRebuild).toBe(true);
    // npm test runs on Node's ABI: no install hook may rebuild for Electron.
    expect(JSON.stringify(packageJson.scripts)).not.toMatch(/electron-rebuild|install-app-deps/);
    expect(packageJson.scripts.dist).toBe('node scripts/dist.mjs');
    expect(fs.readFileSync(path.join(root, 'scripts', 'dist.mjs'), 'utf8')).toContain("'rebuild', 'better-sqlite3'");
  });

  it('ships only paths that exist', () => {
    for (const pattern of config.files.filter((p) => !p.startsWith('!') && !p.startsWith('out/'))) {
      expect(fs.existsSync(path.join(root, patternBase(pattern))), pattern).toBe(true);
    }
    // out/ is the build's output: the entry package.json names, shipped, and buildable.
    expect(fs.readFileSync(path.join(root, 'scripts', 'build-main.mjs'), 'utf8')).toContain(
      `MAIN_OUTFILE = '${packageJson.main}'`,
    );
    expect(shipped(packageJson.main)).toBe(true);
    const outfile = path.join(tempDir('mediacanon-build-'), 'index.js');
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs'), '--outfile', outfile], {
      stdio: 'ignore',
    });
    expect(fs.readFileSync(outfile, 'utf8')).toContain('from "electron"');
  });

  it('ships everything the app reads at run time, and no tests', () => {
    const paths = resolveAppPaths({ appRoot: root, isPackaged: false, platform: 'darwin', arch: 'arm64' });
    const runtimeFiles = [
      paths.hostChild,
      paths.trayIcon('trayTemplate.png'),
      paths.trayIcon('trayTemplate@2x.png'),
      paths.trayIcon('trayBusyTemplate.png'),
      paths.trayIcon('tray-busy-dark.png'),
      paths.logWindowHtml,
      paths.logWindowPreload,
      path.join(root, 'renderer', 'log-window', 'log-window.js'),
      path.join(root, 'server', 'jobs', 'imdb-sync.child.ts'),
      path.join(root, 'templates', 'layouts', 'base.eta'),
      path.join(root, 'server', 'db', 'migrations', 'sqlite', 'meta', '_journal.json'),
      path.join(root, 'schema.sql'),
      ...fs.readdirSync(path.join(root, 'collections')).map((file) => path.join(root, 'collections', file)),
      ...fs
        .readdirSync(path.join(root, 'data', 'imdb-sample'))
        .map((file) => path.join(root, 'data', 'imdb-sample', file)),
    ].map((file) => path.relative(root, file).split(path.sep).join('/'));
    for (const file of runtimeFiles) {
      expect(fs.existsSync(path.join(root, file)), file).toBe(true);
      if (!file.endsWith('.md')) expect(shipped(file), file).toBe(true);
    }
    expect(shipped('server/host.child.test.ts')).toBe(false);
    expect(shipped('test/app.ts')).toBe(false);
    expect(shipped('scratch/notes.txt')).toBe(false);
  });
});
