import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.ts';
import { describeEachDialect } from '../test/databases.ts';

describeEachDialect('app', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('answers /healthz when the database answers', async () => {
    const res = await t.get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: dialect, catalogue: 'empty' });
  });

  it('answers unknown /api paths and methods with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['GET', '/api/titles/'],
      ['PATCH', '/api/titles/1'],
      ['GET', '/api'],
    ] as const) {
      const res = await t.request(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ code: 'route.not_found' });
    }
  });

  it('answers 503 with Retry-After while another process holds the write lock', async () => {
    // The error each driver raises: SQLite's busy lock, PostgreSQL's lock_not_available.
    const busy = Object.assign(new Error('locked'), { code: dialect === 'sqlite' ? 'SQLITE_BUSY' : '55P03' });
    const original = t.repositories.titles.create;
    t.repositories.titles.create = () => Promise.reject(busy);
    const res = await t.post('/api/titles', { type: 'movie', display_name: 'x' });
    t.repositories.titles.create = original;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ code: 'database.busy' });
  });

  it('turns an unexpected failure into a 500 without details, and logs it', async () => {
    await t.db.close();
    const res = await t.get('/api/titles');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal server error', code: 'server.error' });
    expect(t.log.lines.some((line) => line.includes('GET /api/titles'))).toBe(true);
    expect((await t.get('/healthz')).status).toBe(503);
  });
});
