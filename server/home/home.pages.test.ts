import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import type { SqlRunner } from '../db/sql-runner.ts';
import { createHomeRepository } from './home.repository.ts';

describeEachDialect('home page', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('says the catalogue is empty, then counts titles and flags the sample', async () => {
    const empty = await t.get('/');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await empty.text()).toContain('The catalogue is empty');

    await t.post('/api/movies', { display_name: '<script>alert(1)</script>' });
    await t.post('/api/shows', { display_name: 'A show' });
    await t.db.sql.run(sql`INSERT INTO sync_state (key, value) VALUES ('imdb_catalogue', 'sample')`);
    const html = await (await t.get('/')).text();
    expect(html).toMatch(/<dt>Movies<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/<dt>Shows<\/dt><dd>1<\/dd>/);
    expect(html).toContain('bundled IMDb sample');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('links into discover, search and the sync page, with the nav and landmarks', async () => {
    const res = await t.get('/');
    const html = await res.text();
    expect(html).toContain('<a class="skip-link" href="#main">');
    expect(html).toContain('<main id="main"');
    expect(html).toContain('<nav aria-label="Main">');
    expect(html).toContain('<a href="/" aria-current="page">Home</a>');
    expect(html).toContain('href="/api/docs"');
    expect(html).toContain('href="/discover?type=movie&amp;sort=top_rated"');
    expect(html).toContain('<form class="filters" action="/titles" method="get" role="search">');
    expect(html).toContain('No sync has run yet.');
    // Settings is the owner's.
    expect(html).not.toContain('href="/settings"');
    const asOwner = await t.request('GET', '/', undefined, { authorization: `Bearer ${TEST_TOKEN}` });
    const ownerHtml = await asOwner.text();
    expect(ownerHtml).toContain('href="/settings"');
    expect(ownerHtml).toContain('<form class="sign-out" method="post" action="/auth/sign-out">');
    expect(html).not.toContain('/auth/sign-out');
  });

  it('serves the stylesheet', async () => {
    const res = await t.get('/static/css/app.css');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('prefers-color-scheme');
    expect((await t.get('/static/../package.json')).status).toBe(404);
    for (const script of ['posters.js', 'auto-submit.js', 'carousels.js', 'sync-progress.js']) {
      const js = await t.get(`/static/js/${script}`);
      expect(js.status, script).toBe(200);
      expect(js.headers.get('content-type'), script).toMatch(/javascript/);
    }
    expect(await (await t.get('/')).text()).toContain('<script src="/static/js/posters.js" defer></script>');
  });
});

describe('home counts', () => {
  const runner = (titles: number) => {
    const calls = { n: 0 };
    const sql = {
      get: async () => {
        calls.n++;
        return { movies: titles, shows: 0, episodes: 0 };
      },
    } as unknown as SqlRunner;
    return { sql, calls };
  };

  it('counts a small catalogue on every view', async () => {
    const { sql, calls } = runner(10);
    const home = createHomeRepository({ sql });
    await home.counts();
    await home.counts();
    expect(calls.n).toBe(2);
  });

  it("keeps a large catalogue's counts for a minute, and shares a count in flight", async () => {
    let clock = 0;
    const { sql, calls } = runner(1_000_000);
    const home = createHomeRepository({ sql, now: () => clock });
    await Promise.all([home.counts(), home.counts()]);
    expect((await home.counts()).movies).toBe(1_000_000);
    expect(calls.n).toBe(1);
    clock += 61_000;
    await home.counts();
    expect(calls.n).toBe(2);
  });
});
