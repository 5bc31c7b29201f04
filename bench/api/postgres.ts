/** The bench's PostgreSQL database. */
import { randomBytes } from 'node:crypto';
import type { Cleanup } from '../shared/cleanup.ts';
import { adminQuery, createDatabase, postgresServerUrl } from '../shared/postgres.ts';

/** A fresh database on BENCH_DATABASE_URL or on a throwaway server; its URL. */
export async function preparePostgres(cleanup: Cleanup, log: (line: string) => void): Promise<string> {
  const serverUrl = await postgresServerUrl(cleanup, log);
  const name = `mediacanon_bench_${randomBytes(5).toString('hex')}`;
  const { url } = await createDatabase(cleanup, serverUrl, name);
  const { rows } = await adminQuery(serverUrl, 'SHOW server_version');
  log(`PostgreSQL ${rows[0]?.server_version}, database ${name}`);
  return url;
}
