import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { seedTitles } from './discover.test-seed.ts';

const XSS = '<script>alert(1)</script>';

describeEachDialect('discover page', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    await seedTitles(t);
    await t.post('/api/movies', { display_name: XSS, genres: ['Drama'] });
    const { collections } = t.repositories;
    await collections.upsert({
      slug: 'drama-shows',
      name: `Drama shows ${XSS}`,
      description: `Long stories ${XSS}`,
      strategy: 'filter',
      pinned: true,
      filter: { type: 'show', genre: 'Drama' },
    });
    await collections.upsert({
      slug: 'all-movies',
      name: 'All movies',
      strategy: 'filter',
      pinned: false,
      filter: { type: 'movie' },
    });
  });
  afterEach(() => {
    t.repositories.carousels.stop();
    return t.close();
  });

  it('shows carousels, chips, the sort selector and the grid, escaped', async () => {
    const res = await t.get('/discover');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('<h2 id="carousel-drama-shows">Drama shows &lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).toContain('href="/collections/drama-shows"');
    expect(html).toMatch(/<ul class="carousel"[^>]*>[\s\S]*?Bravo/);
    expect(html).toContain('<a class="chip" href="/discover?genre=Romance">Romance</a>');
    expect(html).toContain('<a class="chip" href="/discover?type=show">Shows</a>');
    expect(html).toContain('<a class="chip" href="/discover?country=KR">KR</a>');
    expect(html).toContain('<option value="top_rated">Top rated</option>');
    expect(html).toContain('<script src="/static/js/auto-submit.js" defer></script>');
    expect(html).toContain('9 titles');
  });

  it('filters the grid like GET /api/discover, hides the carousels and keeps filters in links', async () => {
    const api = await (await t.get('/api/discover?genre=Drama&type=show&sort=a-z')).json();
    const html = await (await t.get('/discover?genre=Drama&type=show&sort=a-z')).text();
    expect(html).not.toContain('class="carousel"');
    expect(html).toContain(`${api.total} ${api.total === 1 ? 'title' : 'titles'}`);
    for (const title of api.titles) expect(html).toContain(`<span class="card-title">${title.display_name}</span>`);
    expect(html).toContain(
      '<a class="chip" href="/discover?genre=Drama&amp;type=show&amp;sort=a-z" aria-current="true">Shows</a>',
    );
    expect(html).toContain('<option value="a-z" selected>');
    expect(html).toContain('<input type="hidden" name="genre" value="Drama">');
    // The country chip keeps the genre, type and sort chosen.
    expect(html).toContain('href="/discover?genre=Drama&amp;type=show&amp;country=US&amp;sort=a-z"');
  });

  it('shows the carousels eight rows at a time', async () => {
    for (let i = 0; i < 8; i++) {
      await t.repositories.collections.upsert({
        slug: `extra-${i}`,
        name: `Extra ${i}`,
        strategy: 'filter',
        pinned: false,
        filter: { type: i % 2 === 0 ? 'movie' : 'show' },
      });
    }
    await t.repositories.carousels.rebuild();
    const first = await (await t.get('/discover')).text();
    expect(first.match(/<ul class="carousel"/g)).toHaveLength(8);
    expect(first).toContain('<a href="/discover?rows=2#rows">More rows →</a>');
    const second = await (await t.get('/discover?rows=2')).text();
    expect(second.match(/<ul class="carousel"/g)).toHaveLength(2);
    expect(second).not.toContain('More rows');
    expect(second).toContain('href="/discover#rows"');
    const bad = await t.get('/discover?rows=abc');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('rows: must be a whole number');
  });

  it('shows the grid without carousels when their first build is slow or fails', async () => {
    t.repositories.carousels.current = () => new Promise(() => {});
    const started = Date.now();
    const slow = await t.get('/discover');
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    const html = await slow.text();
    expect(html).not.toContain('class="carousel"');
    expect(html).toContain('9 titles');

    t.repositories.carousels.current = () => Promise.reject(new Error('build failed'));
    expect((await t.get('/discover')).status).toBe(200);
  });

  it('paginates', async () => {
    const first = await (await t.get('/discover?limit=2')).text();
    expect(first).toContain('Page 1 of 5');
    expect(first).toContain('href="/discover?limit=2&amp;page=2"');
    expect(first.match(/<article class="card">/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('answers bad filters with the 400 page and the reason', async () => {
    for (const [query, reason] of [
      ['sort=best', 'sort: must be one of most_rated'],
      ['country=USA', 'country: must be a country code like US'],
      ['rating_min=eleven', 'rating_min: must be a number like 7.5'],
      ['type=book', 'type: must be &#39;movie&#39; or &#39;show&#39;'],
    ]) {
      const res = await t.get(`/discover?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toContain(reason);
    }
  });
});
