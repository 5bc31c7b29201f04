/** The limits on public input (issue 8.3), each checked on both dialects through the whole app. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { describeEachDialect } from '../databases.ts';

describeEachDialect('limits on input', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const errorOf = async (res: Response) => ({ status: res.status, ...(await res.json()) });

  it('refuses a body nested deeper than 32 levels with a 400, not a stack overflow', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(await errorOf(await t.post('/api/titles', deep))).toMatchObject({
      status: 400,
      code: 'request.invalid_body',
      error: 'nested more than 32 levels deep',
    });
    const object = `{"genres":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`;
    expect((await t.post('/api/movies', object)).status).toBe(400);
    // Shallow nesting is still read normally.
    expect((await t.post('/api/movies', { display_name: 'Shallow', genres: ['Drama'] })).status).toBe(201);
  });

  it('caps page depth at 10,000 rows on search and discover, naming the deepest page', async () => {
    expect(await errorOf(await t.get('/api/discover?page=101'))).toMatchObject({
      status: 400,
      code: 'request.invalid_query',
      fields: [{ field: 'page', message: expect.stringMatching(/^must be at most 100 with limit=100/) }],
    });
    expect((await t.get('/api/discover?page=1000&limit=10')).status).toBe(200);
    expect((await t.get('/api/discover?page=1001&limit=10')).status).toBe(400);
    expect((await t.get('/api/titles?page=10000&per_page=1')).status).toBe(200);
    expect(await errorOf(await t.get('/api/titles?q=a&page=5001&per_page=2'))).toMatchObject({
      status: 400,
      fields: [{ field: 'page', message: expect.stringMatching(/^must be at most 5000 with per_page=2/) }],
    });
  });

  it('answers an over-long URL with 414 before routing, on pages and the API alike', async () => {
    expect(await errorOf(await t.get(`/api/titles?q=${'a'.repeat(5000)}`))).toMatchObject({
      status: 414,
      code: 'request.uri_too_long',
    });
    // Pages answer with the HTML error page, same status.
    expect((await t.get(`/titles/${'9'.repeat(5000)}`)).status).toBe(414);
  });

  it('answers a NUL or a lone surrogate in any path parameter with a 4xx, API and pages alike', async () => {
    const routes = t.app.routes.filter((r) => r.method === 'GET' && r.path.includes(':'));
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      for (const value of ['%00', 'a%00b', '%ED%A0%80', '%FF']) {
        const path = route.path.replace(/:\w+/g, value);
        expect((await t.get(path)).status, path).toBeLessThan(500);
      }
    }
  });

  it('takes the first of repeated parameters and validates it', async () => {
    expect((await t.get('/api/discover?sort=newest&sort=bogus')).status).toBe(200);
    expect((await t.get('/api/discover?sort=bogus&sort=newest')).status).toBe(400);
  });
});
