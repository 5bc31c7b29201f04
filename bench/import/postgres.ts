/** The PostgreSQL server of a bench:import run and the fresh databases each step gets on it. */
import { randomBytes } from 'node:crypto';
import type { Cleanup } from '../shared/cleanup.ts';
import { adminQuery, createDatabase, postgresServerUrl } from '../shared/postgres.ts';
import { serverCpuSampler } from './server-cpu.ts';

/**
 * The server (BENCH_DATABASE_URL or a throwaway one, started on first use) and fresh
 * databases on it, in `locale` when given (else the server's default, template1's).
 */
export function postgresServer(cleanup: Cleanup, log: (line: string) => void, locale: string | null = null) {
  let server: Promise<{ url: string; version: string }> | null = null;
  const start = async () => {
    const url = await postgresServerUrl(cleanup, log);
    const { rows } = await adminQuery(
      url,
      `SELECT current_setting('server_version') AS version,
         (SELECT datcollate FROM pg_database WHERE datname = 'template1') AS collation`,
    );
    // The collation sorts and key builds of text compare under: part of what was measured.
    return { url, version: `${rows[0]?.version}, collation ${locale ?? rows[0]?.collation}` };
  };
  return {
    async version() {
      server ??= start();
      return (await server).version;
    },
    /** Reads the server's CPU time so far (see server-cpu.ts), or null. */
    async cpuSampler() {
      server ??= start();
      return serverCpuSampler((await server).url);
    },
    /** A fresh database; the returned function drops it (also done on the way out). */
    async createDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
      server ??= start();
      const adminUrl = (await server).url;
      const name = `mediacanon_bench_import_${label}_${randomBytes(4).toString('hex')}`;
      return createDatabase(cleanup, adminUrl, name, locale);
    },
  };
}

export type PostgresServer = ReturnType<typeof postgresServer>;
