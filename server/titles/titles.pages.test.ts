import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

const XSS = '<script>alert(1)</script>';
const owner = { authorization: `Bearer ${TEST_TOKEN}` };

describeEachDialect('titles pages', (dialect) => {
  let t: TestApp;
  let movie: { title_id: number; movie_id: number };
  beforeEach(async () => {
    t = await createTestApp(dialect);
    movie = await (
      await t.post('/api/movies', { display_name: XSS, original_language: 'fr', start_year: 1999, genres: ['Drama'] })
    ).json();
    await t.post('/api/movies', { display_name: 'Amelie', original_language: 'fr', start_year: 2001 });
    await t.post('/api/shows', { display_name: 'Amelie the Series', original_language: 'en', start_year: 2010 });
  });
  afterEach(() => t.close());

  it('lists titles as poster cards, escaped, with a CSP and the language facet', async () => {
    const res = await t.get('/titles');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('3 titles');
    // Facet: fr has two titles, en one; each a link keeping the other filters.
    expect(html).toContain('<a class="chip" href="/titles?lang=fr">French · 2</a>');
    expect(html).toContain('<option value="en">English (1)</option>');
    // Posterless titles get a placeholder, never an <img> without a source.
    expect(html).toContain('class="poster poster-missing"');
    expect(html).toContain(`href="/movies/${movie.movie_id}"`);
  });

  it('searches with q, type and lang, as GET /api/titles does', async () => {
    const html = await (await t.get('/titles?q=amelie&type=show')).text();
    expect(html).toContain('Amelie the Series');
    expect(html).not.toMatch(/>Amelie<\/span>/);
    expect(html).toContain('1 title matching “amelie”');
    expect(html).toContain('<option value="show" selected>');

    const french = await (await t.get('/titles?lang=fr')).text();
    expect(french).toContain('2 titles');
    expect(french).not.toContain('Amelie the Series');
  });

  it('paginates with links that keep the filters', async () => {
    const first = await (await t.get('/titles?lang=fr&per_page=1')).text();
    expect(first).toContain('Page 1 of 2');
    expect(first).toContain('href="/titles?lang=fr&amp;per_page=1&amp;page=2"');
    expect(first).not.toContain('rel="prev"');
    const second = await (await t.get('/titles?lang=fr&per_page=1&page=2')).text();
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('rel="prev"');
  });

  it('answers bad query parameters with the 400 page and the reason', async () => {
    for (const [query, reason] of [
      ['type=book', 'type: must be &#39;movie&#39; or &#39;show&#39;'],
      ['page=abc', 'page: must be a whole number'],
      ['lang=%3Cb%3E', 'lang: must be a language code like en'],
    ]) {
      const res = await t.get(`/titles?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<h1>Bad request</h1>');
      expect(html).toContain(reason);
    }
  });

  it('shows a title page, and the 404 and 400 pages for missing and bad ids', async () => {
    const res = await t.get(`/titles/${movie.title_id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt; <span class="muted">(1999)</span></h1>');
    expect(html).toContain('href="/discover?genre=Drama&amp;type=movie"');
    expect(html).not.toContain(XSS);

    const missing = await t.get('/titles/999999');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('title not found');
    expect((await t.get('/titles/abc')).status).toBe(400);
  });

  it('shows owner-only links to the owner only', async () => {
    const visitor = await (await t.get(`/titles/${movie.title_id}`)).text();
    expect(visitor).not.toContain('>Settings</a>');
    expect(visitor).not.toContain('class="owner-actions"');
    expect(visitor).not.toContain(`/titles/${movie.title_id}/edit`);
    const ownerRes = await t.request('GET', `/titles/${movie.title_id}`, undefined, owner);
    expect(ownerRes.headers.get('cache-control')).toBe('private, no-store');
    const asOwner = await ownerRes.text();
    expect(asOwner).toContain('>Settings</a>');
    expect(asOwner).toContain(`href="/titles/${movie.title_id}/edit"`);
    expect(asOwner).toContain(`href="/titles/${movie.title_id}/delete"`);

    expect(await (await t.get('/titles')).text()).not.toContain('href="/movies/new"');
    expect(await (await t.request('GET', '/titles', undefined, owner)).text()).toContain('href="/movies/new"');
  });
});
