#!/usr/bin/env node
/**
 * A throwaway PostgreSQL server for tests and CI: a fresh cluster in a temp dir,
 * loopback only, trust auth, durability switched off, removed again on stop.
 *
 *   import { startThrowawayPostgres } from './throwaway-pg.mjs';
 *   const server = await startThrowawayPostgres(); // { url, stop }
 *
 *   node scripts/throwaway-pg.mjs [--url-file FILE]   # runs until SIGINT/SIGTERM
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN_AS = 'postgres';
const LOG_TAIL_LINES = 40;

/**
 * The directory holding initdb, pg_ctl and postgres, or null when there is none.
 * Prefers the highest /usr/lib/postgresql/<version>/bin, then `pg_config --bindir`.
 * @returns {string | null}
 */
export function findPostgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const version of versions) {
      const dir = join(root, version, 'bin');
      if (hasServerBinaries(dir)) return dir;
    }
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (dir && hasServerBinaries(dir)) return dir;
  } catch {
    // no pg_config on PATH: fall through
  }
  return null;
}

function hasServerBinaries(dir) {
  return ['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(join(dir, name)));
}

/**
 * Starts a fresh PostgreSQL cluster on 127.0.0.1.
 * @param {{ port?: number }} [options] a fixed port; a free one is picked when omitted
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startThrowawayPostgres({ port } = {}) {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    throw new Error(
      'PostgreSQL server binaries not found: looked in /usr/lib/postgresql/*/bin and `pg_config --bindir`. ' +
        'Install them (Debian: apt-get install postgresql postgresql-contrib) or set TEST_DATABASE_URL.',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const baseDir = mkdtempSync(join(tmpdir(), 'mediacanon-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'log');
  // postgres refuses to run as root; the cluster belongs to the postgres user instead.
  if (asRoot) await run('chown', ['-R', `${RUN_AS}:`, baseDir], { cwd: baseDir });
  const pg = (tool, args) =>
    asRoot
      ? run('runuser', ['-u', RUN_AS, '--', join(binDir, tool), ...args], { cwd: baseDir })
      : run(join(binDir, tool), args, { cwd: baseDir });

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    const ctl = [join(binDir, 'pg_ctl'), '-D', dataDir, 'stop', '-m', 'immediate', '-w'];
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      if (asRoot) spawnSync('runuser', ['-u', RUN_AS, '--', ...ctl], { cwd: baseDir, stdio: 'ignore' });
      else spawnSync(ctl[0], ctl.slice(1), { cwd: baseDir, stdio: 'ignore' });
    }
    rmSync(baseDir, { recursive: true, force: true });
  };
  // A parent that exits without calling stop() must not leave a server behind.
  process.once('exit', stopSync);

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', stopSync);
      if (stopped) return;
      try {
        if (existsSync(join(dataDir, 'postmaster.pid'))) {
          await pg('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w']);
        }
      } finally {
        stopped = true;
        rmSync(baseDir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };

  try {
    await initCluster(pg, dataDir);
    // A picked port can be taken between probing and binding; retry with another.
    const attempts = port ? 1 : 3;
    for (let attempt = 1; ; attempt++) {
      const serverPort = port ?? (await findFreePort());
      try {
        await pg('pg_ctl', [
          '-D',
          dataDir,
          '-l',
          logFile,
          '-w',
          '-t',
          '60',
          '-o',
          `-p ${serverPort} -c listen_addresses=127.0.0.1 -k '${baseDir}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
          'start',
        ]);
        return { url: `postgres://postgres@127.0.0.1:${serverPort}/postgres`, stop };
      } catch (error) {
        if (attempt >= attempts) throw withLogTail(error, logFile);
      }
    }
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

async function initCluster(pg, dataDir) {
  const common = ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8'];
  try {
    await pg('initdb', [...common, '--locale=C.UTF-8']);
  } catch (error) {
    // Some systems lack the C.UTF-8 locale; a locale-free cluster is as good for tests.
    if (!/locale/i.test(String(error?.message))) throw error;
    rmSync(dataDir, { recursive: true, force: true });
    await pg('initdb', [...common, '--no-locale']);
  }
}

function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(file, args, options) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const output = `${stdout}${stderr}`.trim();
      const command = [file, ...args].join(' ');
      reject(new Error(`command failed (${error.code ?? error.signal}): ${command}${output ? `\n${output}` : ''}`));
    });
  });
}

function withLogTail(error, logFile) {
  let tail = '(no server log)';
  try {
    tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    // the log may never have been created
  }
  return new Error(`PostgreSQL failed to start: ${error.message}\n--- server log (tail) ---\n${tail}`);
}

async function main(argv) {
  const fileFlag = argv.indexOf('--url-file');
  const urlFile = fileFlag === -1 ? undefined : argv[fileFlag + 1];
  if (fileFlag !== -1 && !urlFile) throw new Error('--url-file needs a file name');

  const startup = startThrowawayPostgres();
  let exiting = false;
  // Handlers go in before the server is up: a signal during startup (CI giving up, ^C)
  // must still stop the cluster once it exists instead of killing node and orphaning it.
  const shutDown = async (signal) => {
    if (exiting) return;
    exiting = true;
    try {
      const { stop } = await startup;
      await stop();
      process.exit(0);
    } catch (error) {
      console.error(`throwaway-pg: stop on ${signal} failed: ${error.message}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutDown(signal));

  const { url } = await startup;
  if (exiting) return;
  console.log(`TEST_DATABASE_URL=${url}`);
  // Written after the server is up, and atomically, so a waiting reader never sees a partial URL.
  if (urlFile) {
    writeFileSync(`${urlFile}.tmp`, `${url}\n`);
    renameSync(`${urlFile}.tmp`, urlFile);
  }
  setInterval(() => {}, 1 << 30);
}

const invokedDirectly = (() => {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`throwaway-pg: ${error.message}`);
    process.exit(1);
  });
}
