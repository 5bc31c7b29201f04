import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import { createMemoryLogger } from '../logger.ts';
import { startServer } from '../start.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

it('startServer records detail views and writes them when it closes, before the database closes', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mc-engagement-'));
  dirs.push(dataDir);
  const token = 'engagement-test-token-0123';
  const config = loadConfig({
    MEDIACANON_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: token,
    MEDIACANON_SAMPLE: 'off',
  });
  const server = await startServer({ config, log: createMemoryLogger() });
  const created = await fetch(`${server.url}/api/titles`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ type: 'movie', display_name: 'Seen' }),
  });
  expect(created.status).toBe(201);
  const { title_id } = (await created.json()) as { title_id: number };
  for (const source of ['home', 'home', undefined]) {
    const res = await fetch(`${server.url}/api/titles/${title_id}${source ? `?source=${source}` : ''}`);
    expect(res.status).toBe(200);
  }
  await server.close();

  const db = await openDatabase(config.database);
  try {
    const views = await db.sql.all<{ source: string | null; view_count: number }>(
      sql`SELECT source, view_count FROM title_views ORDER BY source`,
    );
    expect(views).toEqual([
      { source: null, view_count: 1 },
      { source: 'home', view_count: 2 },
    ]);
    expect(await db.sql.get(sql`SELECT title_id, views FROM title_engagement`)).toEqual({ title_id, views: 3 });
  } finally {
    await db.close();
  }
});
