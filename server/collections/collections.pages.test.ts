import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { seedTitles } from '../discover/discover.test-seed.ts';

const XSS = '<script>alert(1)</script>';

describeEachDialect('collection page', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    await seedTitles(t);
    await t.post('/api/shows', { display_name: XSS, genres: ['Drama'] });
    await t.repositories.collections.upsert({
      slug: 'drama-shows',
      name: `Drama ${XSS}`,
      description: `Long stories ${XSS}`,
      strategy: 'filter',
      pinned: false,
      filter: { type: 'show', genre: 'Drama' },
    });
  });
  afterEach(() => t.close());

  it("lists the collection's titles as the API does, escaped", async () => {
    const api = await (await t.get('/api/collections/drama-shows')).json();
    const res = await t.get('/collections/drama-shows');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('<h1>Drama &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<p>Long stories &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).toContain(`${api.total} titles`);
    expect(html.match(/<article class="card">/g)?.length).toBe(api.titles.length);
  });

  it('answers an unknown collection with the 404 page', async () => {
    const res = await t.get('/collections/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('collection not found');
  });
});
