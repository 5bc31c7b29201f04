import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

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
  });

  it('serves the stylesheet', async () => {
    const res = await t.get('/static/css/app.css');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('prefers-color-scheme');
    expect((await t.get('/static/../package.json')).status).toBe(404);
  });
});
