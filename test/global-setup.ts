/**
 * vitest globalSetup: finds or starts the PostgreSQL server the PostgreSQL suites run against
 * and hands its URL to tests as `inject('pgUrl')` (null when there is none and we are not in CI).
 */
import pg from 'pg';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

type ThrowawayPostgres = {
  findPostgresBinDir(): string | null;
  startThrowawayPostgres(options?: { port?: number }): Promise<{ url: string; stop(): Promise<void> }>;
};

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // The helper is plain JS outside the tsconfig (CI runs it with bare node); a computed
  // specifier keeps tsc from demanding a declaration file for it.
  const throwaway: ThrowawayPostgres = await import(new URL('../scripts/throwaway-pg.mjs', import.meta.url).href);

  const givenUrl = process.env.TEST_DATABASE_URL;
  if (givenUrl) {
    await checkServer(givenUrl, 'TEST_DATABASE_URL');
    project.provide('pgUrl', givenUrl);
    return undefined;
  }

  if (throwaway.findPostgresBinDir()) {
    const server = await throwaway.startThrowawayPostgres();
    try {
      await checkServer(server.url, 'the throwaway server');
    } catch (error) {
      await server.stop();
      throw error;
    }
    project.provide('pgUrl', server.url);
    return () => server.stop();
  }

  if (process.env.CI) {
    throw new Error(
      'PostgreSQL is required in CI: set TEST_DATABASE_URL or install the server binaries ' +
        '(apt-get install postgresql postgresql-contrib) so a throwaway server can be started.',
    );
  }
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n!! PostgreSQL not found (no TEST_DATABASE_URL, no server binaries):\n` +
      `!! the PostgreSQL suites will be SKIPPED. Only SQLite is tested in this run.\n${bar}\n\n`,
  );
  project.provide('pgUrl', null);
  return undefined;
}

async function checkServer(url: string, source: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(`PostgreSQL from ${source} does not answer (${redact(url)}): ${messageOf(error)}`);
  }
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  } catch (error) {
    throw new Error(
      `PostgreSQL from ${source} (${redact(url)}) cannot create the pg_trgm extension ` +
        `(install postgresql-contrib, or grant the user CREATE on the database): ${messageOf(error)}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // A refused connection to a dual-stack host arrives as an AggregateError with no message.
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}
