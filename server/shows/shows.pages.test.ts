import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

const XSS = '<script>alert(1)</script>';
const owner = { authorization: `Bearer ${TEST_TOKEN}` };

describeEachDialect('show pages', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  const createShow = async (seasons: number, episodesPerSeason: number, fields: Record<string, unknown> = {}) => {
    const show = await (await t.post('/api/shows', { display_name: XSS, start_year: 2008, ...fields })).json();
    for (let s = 1; s <= seasons; s++) {
      const season = await (await t.post(`/api/shows/${show.show_id}/seasons`, { season_number: s })).json();
      for (let e = 1; e <= episodesPerSeason; e++) {
        const res = await t.post(`/api/seasons/${season.season_id}/episodes`, {
          episode_number: e,
          display_name: e === 1 ? XSS : `Episode ${e}`,
          synopsis: `Synopsis ${s}.${e} <b>bold</b>`,
          air_date: `2008-0${s}-1${e}`,
          runtime_minutes: 45,
          image_url: e === 1 ? 'https://image.example/still.jpg' : undefined,
        });
        expect(res.status).toBe(201);
      }
    }
    return show as { show_id: number; title_id: number };
  };

  it('shows seasons and episodes with stills, air dates, runtime, synopsis and finished flags, escaped', async () => {
    const show = await createShow(2, 2);
    const res = await t.get(`/shows/${show.show_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('Synopsis 1.2 &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('2 seasons, 4 episodes');
    expect(html).toContain('<time datetime="2008-02-12">2008-02-12</time> · 45 min');
    expect(html).toContain('src="https://image.example/still.jpg"');
    expect(html).toMatch(/<img class="still"[^>]*loading="lazy"/);
    // Season 1 is finished because a later season exists; season 2 is still airing and open.
    expect(html).toMatch(/id="season-1">\s*<summary>[\s\S]*?finished<\/span>/);
    expect(html).toMatch(/id="season-2" open>\s*<summary>[\s\S]*?airing<\/span>/);
    expect(html).toContain('Running');
  });

  it('loads a show in the same number of queries however many seasons it has', async () => {
    const small = await createShow(1, 1);
    const large = await createShow(4, 3);
    t.counter.queries = 0;
    expect((await t.get(`/shows/${small.show_id}`)).status).toBe(200);
    const forSmall = t.counter.queries;
    t.counter.queries = 0;
    expect((await t.get(`/shows/${large.show_id}`)).status).toBe(200);
    expect(t.counter.queries).toBe(forSmall);
    expect(forSmall).toBeLessThanOrEqual(4);
  });

  it('marks a show with an end year finished, and gives the owner edit links', async () => {
    const show = await createShow(1, 1, { end_year: 2013 });
    const visitor = await (await t.get(`/shows/${show.show_id}`)).text();
    expect(visitor).toContain('Finished');
    expect(visitor).not.toContain(`/shows/${show.show_id}/edit`);
    const asOwner = await (await t.request('GET', `/shows/${show.show_id}`, undefined, owner)).text();
    expect(asOwner).toContain(`href="/shows/${show.show_id}/edit"`);
    expect(asOwner).toContain(`href="/shows/${show.show_id}/seasons/new"`);
  });

  it("lists a long show's episodes one season at a time", async () => {
    const show = await createShow(3, 1);
    const seasons = await (await t.get(`/api/shows/${show.show_id}/seasons`)).json();
    // 1,100 more episodes in season 2, written straight to the table (the API would take a while).
    await t.db.sql.run(sql`
      WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 1101)
      INSERT INTO show_episodes (season_id, episode, display_name)
      SELECT ${seasons[1].season_id}, i, 'Daily episode' FROM n`);

    const latest = await (await t.get(`/shows/${show.show_id}`)).text();
    expect(latest).toContain('3 seasons, 1,103 episodes');
    expect(latest).not.toContain('Daily episode');
    expect(latest).toMatch(/id="season-3" open>/);
    expect(latest).toContain(`<a href="/shows/${show.show_id}?season=2#season-2">Season 2</a>`);

    const second = await (await t.get(`/shows/${show.show_id}?season=2`)).text();
    expect(second.match(/Daily episode/g)).toHaveLength(1100);
    expect(second).toMatch(/id="season-2" open>/);
    expect(second).toContain(`<a href="/shows/${show.show_id}?season=3#season-3">Season 3</a>`);

    expect((await t.get(`/shows/${show.show_id}?season=9`)).status).toBe(404);
    expect((await t.get(`/shows/${show.show_id}?season=x`)).status).toBe(400);
  });

  it('answers missing and bad show ids with the 404 and 400 pages', async () => {
    expect((await t.get('/shows/999999')).status).toBe(404);
    const bad = await t.get('/shows/0');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id must be a positive integer');
  });
});
