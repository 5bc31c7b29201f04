/**
 * Where the tray app's files are, in a checkout (`npm start`: the repository root) and in
 * the packaged app (`resources/app.asar`, with native binaries beside it in
 * `app.asar.unpacked`). The server finds templates/, static/, collections/, migrations and
 * the IMDb sample relative to its own modules, so shipping them in the same tree as
 * server/ (electron-builder.yml `files`) makes one layout work in both places.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppPathsInput {
  /** Electron's app.getAppPath(). */
  appRoot: string;
  isPackaged: boolean;
  platform: NodeJS.Platform;
  arch: string;
}

/** A file electron-builder unpacked (asarUnpack) lives under app.asar.unpacked, not app.asar. */
export const unpackedPath = (file: string) => file.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked');

export function resolveAppPaths({ appRoot, isPackaged, platform, arch }: AppPathsInput) {
  const require = createRequire(path.join(appRoot, 'package.json'));
  const resolveOrNull = (specifier: string) => {
    try {
      return require.resolve(specifier);
    } catch {
      return null;
    }
  };
  // An arm64 Mac also runs the x64 binary (Rosetta), should only that one have been shipped.
  const esbuild =
    resolveOrNull(`@esbuild/${platform}-${arch}/bin/esbuild`) ??
    (platform === 'darwin' ? resolveOrNull('@esbuild/darwin-x64/bin/esbuild') : null);
  const tsx = resolveOrNull('tsx');
  return {
    root: appRoot,
    /** The server's child-process entry, run through tsx like every server module. */
    hostChild: path.join(appRoot, 'server', 'host.child.ts'),
    /** Absolute, because --import resolves a bare name from the working directory. */
    tsxLoader: tsx ? pathToFileURL(tsx).href : null,
    /**
     * tsx transforms with esbuild's native binary, which cannot run from inside an asar
     * archive: point it at the unpacked copy (ESBUILD_BINARY_PATH).
     */
    esbuildBinary: esbuild && isPackaged ? unpackedPath(esbuild) : null,
    trayIcon: (name: string) => path.join(appRoot, 'static', 'tray', name),
    logWindowHtml: path.join(appRoot, 'renderer', 'log-window', 'index.html'),
    logWindowPreload: path.join(appRoot, 'renderer', 'log-window', 'preload.cjs'),
  };
}

export type AppPaths = ReturnType<typeof resolveAppPaths>;
