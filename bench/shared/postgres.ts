/** The PostgreSQL server a bench runs on: BENCH_DATABASE_URL when set, else a throwaway one. */
import pg from 'pg';
import type { Cleanup } from './cleanup.ts';

interface ThrowawayPostgres {
  startThrowawayPostgres(options?: { port?: number }): Promise<{ url: string; stop(): Promise<void> }>;
}

/** Runs one statement on its own connection. */
export async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

/** The server's URL; a throwaway server is stopped by the cleanup. */
export async function postgresServerUrl(cleanup: Cleanup, log: (line: string) => void): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    log(`PostgreSQL: BENCH_DATABASE_URL ${redact(url)}`);
    return url;
  }
  const { startThrowawayPostgres } = (await import(
    new URL('../../scripts/throwaway-pg.mjs', import.meta.url).href
  )) as ThrowawayPostgres;
  log('PostgreSQL: starting a throwaway server');
  const throwaway = await startThrowawayPostgres();
  cleanup.add('stop the throwaway PostgreSQL server', () => throwaway.stop());
  return throwaway.url;
}

/** Creates a database on the server; the cleanup drops it, and so does the returned function. */
export async function createDatabase(cleanup: Cleanup, serverUrl: string, name: string, locale?: string | null) {
  // template0: another locale than template1's may only be given a copy of it.
  await adminQuery(serverUrl, `CREATE DATABASE ${name}${locale ? ` TEMPLATE template0 LOCALE '${locale}'` : ''}`);
  const drop = cleanup.add(`drop database ${name}`, () =>
    adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}
