import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../../test/app.ts';
import { openTestDatabase } from '../../test/databases.ts';
import { createServer } from '../app.ts';
import type { Database } from '../db/sql-runner.ts';
import { createMemoryLogger } from '../logger.ts';
import { createRepositories } from '../repositories.ts';

describe('request log', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(() => db.close());

  const app = (requestLog: boolean) => {
    const log = createMemoryLogger();
    const server = createServer({
      db,
      repositories: createRepositories(db),
      adminToken: TEST_TOKEN,
      log,
      requestLog,
      clientAddress: () => '203.0.113.9',
    });
    return { server, log };
  };

  it('writes one line per request: method, route pattern, status, duration, request id, client', async () => {
    const { server, log } = app(true);
    await server.request('/api/titles/424242', { headers: { 'X-Request-Id': 'trace-1' } });
    await server.request('/api/discover?sort=nope');
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatch(
      /^INFO request method=GET route=\/api\/titles\/:id path="\/api\/titles\/424242" status=404 duration_ms=\d+\.\d request_id=trace-1 client=203\.0\.113\.9$/,
    );
    expect(log.lines[1]).toMatch(/route=\/api\/discover .*status=400 .*request_id=[0-9a-f-]{36} /);
  });

  it('quotes the path so a client cannot forge log lines, and cuts it short', async () => {
    const { server, log } = app(true);
    await server.request(`/api/${'%0AINFO%20forged'.repeat(30)}`);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).not.toContain('\n');
    expect(log.lines[0]).toMatch(/route=\(unmatched\) path="\/api\/\\nINFO forged.*…" status=404/);
  });

  it('writes nothing when turned off', async () => {
    const { server, log } = app(false);
    await server.request('/api/collections');
    expect(log.lines).toEqual([]);
  });
});
