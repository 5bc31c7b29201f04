/**
 * The `mediacanon` command. Exit codes: 0 done, 1 failed, 2 bad usage or configuration.
 */
import { parseArgs } from 'node:util';
import { AdminTokenFromEnvironmentError, rotateAdminTokenFile } from './admin-token.ts';
import { ConfigError, type ConfigFlags, loadConfig } from './config.ts';
import { openDatabase } from './db/dialect.ts';
import { GENRES_HELP, runGenresCommand } from './genres/genres.command.ts';
import { runSyncCommand, SYNC_HELP } from './jobs/sync.command.ts';
import { createConsoleLogger, createFileLogger, logFilePath } from './logger.ts';
import { startServer } from './start.ts';

const COMMON_OPTIONS = `Options (each overrides the environment variable named):
  --database-url URL   DATABASE_URL: postgres://… or sqlite:/path/file.db (default: SQLite in the data dir)
  --data-dir DIR       MEDIACANON_DATA_DIR (default ~/.mediacanon)
  -h, --help           show this help`;

const HELP: Record<string, string> = {
  main: `mediacanon — open movie and TV metadata database

Usage: mediacanon <command> [options]

Commands:
  serve       start the HTTP server: JSON API under /api, health at /healthz
  sync imdb   download and import the IMDb datasets (or --from-dir DIR)
  sync tmdb   enrich titles from TMDB: posters, dates, countries ([--limit N] [--reset])
  genres      export titles for custom-genre review, import the reviewed file
  migrate     apply pending database migrations and exit
  token rotate  replace the admin token; a running server accepts only the new one

Run 'mediacanon <command> --help' for a command's options.`,
  serve: `Usage: mediacanon serve [options]

Starts the server, migrating the database first. On an empty database the bundled IMDb
sample is imported (MEDIACANON_SAMPLE=off to skip). Stops cleanly on SIGINT/SIGTERM.

  --port N             PORT (default 8080; 0 picks a free port)
  --host HOST          HOST (default 127.0.0.1; 0.0.0.0 for the LAN)
${COMMON_OPTIONS}`,
  sync: `${SYNC_HELP}
${COMMON_OPTIONS}`,
  genres: `${GENRES_HELP}
${COMMON_OPTIONS}`,
  token: `Usage: mediacanon token rotate [options]

Writes a new admin token into <data dir>/admin-token. A running server stops accepting the
old token within a second and signs every browser out. Refused when ADMIN_TOKEN is set:
change the variable instead.

${COMMON_OPTIONS}`,
  migrate: `Usage: mediacanon migrate [options]

Applies pending migrations to the configured database and exits.

${COMMON_OPTIONS}`,
};

class UsageError extends Error {}

const optionSpec = {
  port: { type: 'string' },
  host: { type: 'string' },
  'database-url': { type: 'string' },
  'data-dir': { type: 'string' },
  'from-dir': { type: 'string' },
  force: { type: 'boolean' },
  limit: { type: 'string' },
  filter: { type: 'string' },
  reset: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const log = createConsoleLogger();
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      console.log(HELP.main);
      return command ? 0 : 2;
    }
    if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command '${command}'`);
    let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true }>>;
    try {
      parsed = parseArgs({
        args: rest,
        options: optionSpec,
        allowPositionals: command === 'sync' || command === 'genres' || command === 'token',
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      console.log(HELP[command]);
      return 0;
    }
    if (command !== 'serve' && (values.port !== undefined || values.host !== undefined)) {
      throw new UsageError(`${command} takes no --port or --host`);
    }
    if (command !== 'sync' && (values['from-dir'] !== undefined || values.force !== undefined)) {
      throw new UsageError(`${command} takes no --from-dir or --force`);
    }
    const tmdbSync = command === 'sync' && positionals[0] === 'tmdb';
    if (tmdbSync && (values['from-dir'] !== undefined || values.force !== undefined)) {
      throw new UsageError('sync tmdb takes no --from-dir or --force');
    }
    if (!tmdbSync && values.reset !== undefined) throw new UsageError(`${command} takes no --reset`);
    if (tmdbSync && values.limit !== undefined && !/^[1-9]\d{0,8}$/.test(values.limit)) {
      throw new UsageError(`--limit must be a positive whole number (got '${values.limit}')`);
    }
    if (command !== 'genres' && ((values.limit !== undefined && !tmdbSync) || values.filter !== undefined)) {
      throw new UsageError(`${command} takes no --limit or --filter`);
    }
    const [action, file] = positionals;
    if (command === 'genres' && (positionals.length !== 2 || (action !== 'export' && action !== 'import'))) {
      throw new UsageError("genres needs an action and a file: 'mediacanon genres export|import FILE'");
    }
    if (command === 'genres' && action === 'import' && (values.limit !== undefined || values.filter !== undefined)) {
      throw new UsageError('genres import takes no --limit or --filter');
    }
    if (command === 'sync' && (positionals.length !== 1 || (positionals[0] !== 'imdb' && positionals[0] !== 'tmdb'))) {
      throw new UsageError("sync needs a target: 'mediacanon sync imdb' or 'mediacanon sync tmdb'");
    }
    if (command === 'token' && (positionals.length !== 1 || positionals[0] !== 'rotate')) {
      throw new UsageError("token needs an action: 'mediacanon token rotate'");
    }
    const flags: ConfigFlags = {
      port: values.port,
      host: values.host,
      databaseUrl: values['database-url'],
      dataDir: values['data-dir'],
    };
    const config = loadConfig(env, flags);
    if (command === 'token') return rotateToken(config);
    if (command === 'migrate') {
      const db = await openDatabase(config.database);
      await db.close();
      log.info(`database is up to date (${config.database.dialect})`);
      return 0;
    }
    if (command === 'genres') {
      return await runGenresCommand(action as string, file as string, values, config, log);
    }
    if (command === 'sync') {
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      const flags = { fromDir: values['from-dir'], force: values.force, limit, reset: values.reset };
      return await runSyncCommand(positionals[0] as string, flags, config, log);
    }
    return await serve(config, log);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`mediacanon: ${error.message}`);
      if (error instanceof UsageError) console.error("Run 'mediacanon --help' for usage.");
      return 2;
    }
    log.error((error as Error).message ?? String(error));
    return 1;
  }
}

function rotateToken(config: ReturnType<typeof loadConfig>): number {
  try {
    const { file } = rotateAdminTokenFile(config);
    console.log(`new admin token written to ${file}; a running server accepts only the new one from now on`);
    return 0;
  } catch (error) {
    if (!(error instanceof AdminTokenFromEnvironmentError)) throw error;
    console.error(`mediacanon: ${error.message}`);
    return 2;
  }
}

async function serve(config: ReturnType<typeof loadConfig>, consoleLog: ReturnType<typeof createConsoleLogger>) {
  // Also into the log file the tray and the jobs write, so one file tells the whole story.
  const log = createFileLogger({ file: logFilePath(config.dataDir), prefix: 'server', mirror: consoleLog });
  const server = await startServer({ config, log });
  log.info(`MediaCanon serving ${server.url} (${config.database.dialect})`);
  // A closed laptop lid or a closed terminal must not take the server down.
  process.on('SIGHUP', () => {});
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: shutting down`);
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      server.close().then(resolve, (error) => {
        log.error('shutdown failed', error);
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
