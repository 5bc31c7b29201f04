import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

describeEachDialect('error pages', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('answers an unknown page path with the 404 page in the layout, escaping the path', async () => {
    const res = await t.get('/no/such/page/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<h1>Page not found</h1>');
    expect(html).toContain('<nav aria-label="Main">');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('keeps JSON errors for the API and the machine endpoints', async () => {
    const api = await t.get('/api/nothing');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await api.json()).toMatchObject({ code: 'route.not_found' });
    const bad = await t.get('/api/titles?type=book');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'request.invalid_query' });
  });

  it('answers a failure on a page with the 500 page, without details, and logs it', async () => {
    t.repositories.titles.search = async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    };
    const res = await t.get('/titles');
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain('<h1>Something went wrong</h1>');
    expect(html).toContain('internal server error');
    expect(html).not.toContain('secret connection string');
    expect(html).toMatch(/Request id: <code>[\w-]+<\/code>/);
    expect(t.log.lines.some((line) => line.includes('unhandled error on GET /titles'))).toBe(true);
  });

  it('answers hostile page input with a 4xx page, never a 500', async () => {
    const long = 'x'.repeat(5000);
    for (const path of [
      '/titles?q=%00',
      `/titles?q=${long}`,
      '/titles?page=0',
      '/titles?page=99999999999',
      '/titles?per_page=-1',
      '/titles?lang=%E2%80%AE',
      '/titles/99999999999',
      '/titles/1.5',
      '/movies/-1',
      '/shows/%20',
      '/discover?limit=abc',
      '/discover?year_min=1700',
      '/discover?has_image=maybe',
      `/discover?genre=${long}`,
      `/collections/${long}`,
      '/collections/%3Cscript%3E',
      '/sync/imdb/start',
      '/discover?page=9999',
      '/titles?page=101',
    ]) {
      const res = await t.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
    }
    // Empty parameters are absent, and a page past the end is an empty page, not an error.
    expect((await t.get('/titles?q=&type=&lang=')).status).toBe(200);
    expect((await t.get('/discover?genre=&page=99')).status).toBe(200);
  });
});
