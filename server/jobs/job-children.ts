/**
 * How a sync job's child process is started: which module each kind runs, the Node flags
 * that let a .ts module run without a build step (tsx, as bin/mediacanon.mjs uses), the
 * command-line arguments of a run, and the environment that hands the parent's
 * configuration down (flags such as --database-url exist only in the parent's Config).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../config.ts';
import { badRequest } from '../http/errors.ts';

export const JOB_KINDS = ['imdb', 'tmdb'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const isJobKind = (value: string): value is JobKind => (JOB_KINDS as readonly string[]).includes(value);

export interface JobStartArgs {
  /** imdb: import even when the files did not change since the last run. */
  force?: boolean;
  /** tmdb: enrich every title again, not only those flagged as needing it. */
  reset?: boolean;
  /** imdb: import the files in this directory, without any network (CLI and tests). */
  fromDir?: string;
  /** tmdb: enrich at most this many titles. */
  limit?: number;
}

const JOB_CHILD_MODULES: Record<JobKind, string> = {
  imdb: fileURLToPath(new URL('./imdb-sync.child.ts', import.meta.url)),
  tmdb: fileURLToPath(new URL('./tmdb-sync.child.ts', import.meta.url)),
};

/** The child module of a kind, or null when this build has none. */
export const jobChildModule = (kind: JobKind): string | null =>
  fs.existsSync(JOB_CHILD_MODULES[kind]) ? JOB_CHILD_MODULES[kind] : null;

/**
 * Registers tsx in the child. An absolute URL, not the bare name "tsx": --import resolves
 * a bare name from the working directory, which in a packaged app is not this project.
 */
export const JOB_EXEC_ARGV = ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];

export function jobChildArgs(kind: JobKind, args: JobStartArgs): string[] {
  const argv: string[] = [];
  if (args.fromDir !== undefined) {
    if (kind !== 'imdb') throw badRequest('jobs.invalid_args', 'fromDir: only the imdb job imports from a directory');
    argv.push('--from-dir', args.fromDir);
  }
  if (args.force) {
    if (kind !== 'imdb') throw badRequest('jobs.invalid_args', 'force: only the imdb job takes force (tmdb: reset)');
    argv.push('--force');
  }
  if (args.reset) {
    if (kind !== 'tmdb') throw badRequest('jobs.invalid_args', 'reset: only the tmdb job takes reset');
    argv.push('--reset');
  }
  if (args.limit !== undefined) {
    if (kind !== 'tmdb') throw badRequest('jobs.invalid_args', 'limit: only the tmdb job takes a limit');
    argv.push('--limit', String(args.limit));
  }
  return argv;
}

const databaseUrl = (database: Config['database']) =>
  database.dialect === 'pg' ? database.url : `sqlite:${database.path}`;

/** The parent's environment with its parsed configuration written over it. */
export function jobEnvironment(config: Config, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PORT: String(config.port),
    HOST: config.host,
    DATABASE_URL: databaseUrl(config.database),
    MEDIACANON_DATA_DIR: config.dataDir,
    IMDB_DATASETS_URL: config.imdbDatasetsUrl,
    TMDB_API_URL: config.tmdb.apiUrl,
    ...(config.tmdb.apiKey && { TMDB_API_KEY: config.tmdb.apiKey }),
    ...(config.tmdb.accessToken && { TMDB_ACCESS_TOKEN: config.tmdb.accessToken }),
    // Inside Electron, process.execPath is the Electron binary: make it behave as Node.
    ...(process.versions.electron && { ELECTRON_RUN_AS_NODE: '1' }),
  };
  // A job writes the catalogue, never through the HTTP API: it has no use for the token.
  delete env.ADMIN_TOKEN;
  return env;
}
