/**
 * The real server for browser tests: startServer() on a fresh data directory (SQLite) or a
 * fresh PostgreSQL database, on a free port, with the bundled IMDb sample imported — the
 * same start-up path `mediacanon serve` takes, so the pages show real IMDb-derived rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createMemoryLogger } from '../../server/logger.ts';
import { startServer } from '../../server/start.ts';
import { createPgTestDatabase } from '../databases.ts';

export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

export interface E2eServer {
  url: string;
  dialect: 'sqlite' | 'pg';
  /** The server's log lines, printed when a test fails. */
  logLines: string[];
  /** A JSON API read, for finding ids to visit. */
  api<T = unknown>(pathAndQuery: string): Promise<T>;
  close(): Promise<void>;
}

export async function startE2eServer(dialect: 'sqlite' | 'pg' = 'sqlite'): Promise<E2eServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mediacanon-e2e-'));
  const pg = dialect === 'pg' ? await createPgTestDatabase('mc_e2e') : null;
  const log = createMemoryLogger();
  try {
    const config = loadConfig({
      MEDIACANON_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      MEDIACANON_SAMPLE: 'on',
      ...(pg && { DATABASE_URL: pg.url }),
    });
    const server = await startServer({ config, log });
    return {
      url: server.url,
      dialect,
      logLines: log.lines,
      async api<T>(pathAndQuery: string) {
        const res = await fetch(`${server.url}${pathAndQuery}`);
        if (!res.ok) throw new Error(`GET ${pathAndQuery}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      },
      async close() {
        await server.close();
        await pg?.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await pg?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`the server did not start:\n${log.lines.join('\n')}`, { cause: error });
  }
}
