/**
 * Configuration is parsed once, here, from the environment and CLI flags (flags win),
 * validated, and passed down. Nothing else reads process.env.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export type DatabaseTarget = { dialect: 'pg'; url: string } | { dialect: 'sqlite'; path: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseTarget;
  /** From ADMIN_TOKEN; when absent the server generates one and keeps it in the data dir. */
  adminToken: string | null;
  tmdb: {
    apiKey: string | null;
    accessToken: string | null;
    apiUrl: string;
    /** TMDB_RATE_LIMIT: requests per second, shared by every TMDB caller in a process. */
    rateLimitPerSecond: number;
    /** TMDB_TIMEOUT_MS: per attempt. */
    timeoutMs: number;
    /** TMDB_ENRICH_BUDGET_MS: how long a page view waits for on-demand enrichment. */
    enrichBudgetMs: number;
  };
  imdbDatasetsUrl: string;
  trustProxy: 'cloudflare' | null;
  /** Public requests per minute per client address (also the burst); 0 turns the limiter off. */
  rateLimitPerMinute: number;
  /** Import the bundled IMDb sample into an empty database at start. */
  loadSample: boolean;
  /** One log line per HTTP request (REQUEST_LOG, on by default). */
  requestLog: boolean;
  /** Serve /metrics without the admin token (METRICS_PUBLIC, off by default). */
  metricsPublic: boolean;
}

/** Flags a command may set; each overrides the variable named beside it. */
export interface ConfigFlags {
  port?: string; // PORT
  host?: string; // HOST
  databaseUrl?: string; // DATABASE_URL
  dataDir?: string; // MEDIACANON_DATA_DIR
}

/** Far above what a person or an app reaches, well below what a scraper sends. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((v) => v.replace(/\/+$/, ''));

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    );

/** Their values never appear in an error message. */
const SECRET_VARIABLES = new Set(['ADMIN_TOKEN', 'TMDB_API_KEY', 'TMDB_ACCESS_TOKEN']);

const variables = z.object({
  PORT: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(8080),
  HOST: z
    .string()
    .trim()
    .regex(/^[\w.:[\]-]+$/, 'must be a host name or IP address')
    .default('127.0.0.1'),
  DATABASE_URL: optional,
  MEDIACANON_DATA_DIR: optional,
  ADMIN_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  TMDB_API_KEY: optional.pipe(
    z
      .string()
      .regex(/^[\x21-\x7e]{1,512}$/, 'must be a TMDB v3 API key (no spaces, at most 512 characters)')
      .optional(),
  ),
  TMDB_ACCESS_TOKEN: optional.pipe(
    z
      .string()
      .regex(/^[\x21-\x7e]{1,4096}$/, 'must be a TMDB v4 read access token (no spaces, at most 4096 characters)')
      .optional(),
  ),
  TMDB_API_URL: optional.pipe(httpUrl.optional()),
  TMDB_RATE_LIMIT: optional.pipe(wholeNumber(1, 1000).optional()),
  TMDB_TIMEOUT_MS: optional.pipe(wholeNumber(100, 120_000).optional()),
  TMDB_ENRICH_BUDGET_MS: optional.pipe(wholeNumber(0, 10_000).optional()),
  IMDB_DATASETS_URL: optional.pipe(httpUrl.optional()),
  TRUST_PROXY: optional.pipe(z.enum(['cloudflare', 'off'], { error: "must be 'cloudflare' or 'off'" }).optional()),
  RATE_LIMIT_PER_MINUTE: optional.pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, 'must be a whole number, 0 (off) or more')
      .transform(Number)
      .pipe(z.number().max(1_000_000, 'must be at most 1000000'))
      .optional(),
  ),
  MEDIACANON_SAMPLE: optional.pipe(z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).optional()),
  REQUEST_LOG: optional.pipe(z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).optional()),
  METRICS_PUBLIC: optional.pipe(z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).optional()),
});

export function parseDatabaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (!url) return { dialect: 'sqlite', path: path.join(dataDir, 'mediacanon.db') };
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL: is not a valid postgres:// URL');
    }
    return { dialect: 'pg', url };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new ConfigError('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:/path/mediacanon.db');
    return { dialect: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
  }
  throw new ConfigError('DATABASE_URL: must start with postgres://, postgresql:// or sqlite:');
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const merged = {
    ...env,
    ...(flags.port !== undefined && { PORT: flags.port }),
    ...(flags.host !== undefined && { HOST: flags.host }),
    ...(flags.databaseUrl !== undefined && { DATABASE_URL: flags.databaseUrl }),
    ...(flags.dataDir !== undefined && { MEDIACANON_DATA_DIR: flags.dataDir }),
  };
  const parsed = variables.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(
      SECRET_VARIABLES.has(name)
        ? `${name}: ${issue?.message ?? 'is invalid'} (value not shown: it is a secret)`
        : `${name}: ${issue?.message ?? 'is invalid'} (got ${JSON.stringify((merged as Record<string, unknown>)[name] ?? '')})`,
    );
  }
  const v = parsed.data;
  const dataDir = path.resolve(v.MEDIACANON_DATA_DIR ?? path.join(os.homedir(), '.mediacanon'));
  return {
    port: v.PORT,
    host: v.HOST,
    dataDir,
    database: parseDatabaseTarget(v.DATABASE_URL, dataDir),
    adminToken: v.ADMIN_TOKEN ?? null,
    tmdb: {
      apiKey: v.TMDB_API_KEY ?? null,
      accessToken: v.TMDB_ACCESS_TOKEN ?? null,
      apiUrl: v.TMDB_API_URL ?? 'https://api.themoviedb.org/3',
      rateLimitPerSecond: v.TMDB_RATE_LIMIT ?? 40,
      timeoutMs: v.TMDB_TIMEOUT_MS ?? 5000,
      enrichBudgetMs: v.TMDB_ENRICH_BUDGET_MS ?? 300,
    },
    imdbDatasetsUrl: v.IMDB_DATASETS_URL ?? 'https://datasets.imdbws.com',
    trustProxy: v.TRUST_PROXY === 'cloudflare' ? 'cloudflare' : null,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    loadSample: v.MEDIACANON_SAMPLE !== 'off',
    requestLog: v.REQUEST_LOG !== 'off',
    metricsPublic: v.METRICS_PUBLIC === 'on',
  };
}
