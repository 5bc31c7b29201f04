import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { seedTitles } from './discover.test-seed.ts';

interface Page {
  titles: { title_id: number; display_name: string }[];
  total: number;
  page: number;
  per_page: number;
}

describeEachDialect('GET /api/discover', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ids = await seedTitles(t);
  });
  afterAll(() => t.close());

  const keysOf = (page: Page) =>
    page.titles.map((title) => Object.keys(ids).find((key) => ids[key] === title.title_id));
  const discover = async (query: string) => {
    const res = await t.get(`/api/discover?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  };

  describe('sorts, each with a tiebreak by id, walked three at a time', () => {
    it.each([
      ['', 'EABGCFHD'],
      ['sort=most_rated', 'EABGCFHD'],
      ['sort=popular', 'ABCDEFGH'], // no views yet: id order (engagement.test.ts ranks by views)
      ['sort=trending', 'BEAFGCDH'],
      ['sort=top_rated', 'EAB'],
      ['sort=top_rated&min_votes=0', 'GEABCFH'],
      ['sort=top_rated&rating_min=9', 'GE'],
      ['sort=newest', 'CBFGAEDH'],
      ['sort=hidden_gems', 'GABCF'],
      ['sort=a-z', 'AHBCDEFG'],
    ])('%s → %s', async (query, expected) => {
      const whole = await discover(query);
      expect(keysOf(whole).join('')).toBe(expected);
      expect(whole.total).toBe(expected.length);
      const walked: (string | undefined)[] = [];
      for (let page = 1; page <= 4; page++) {
        const slice = await discover(`${query}&limit=3&page=${page}`);
        expect(slice).toMatchObject({ total: expected.length, page, per_page: 3 });
        walked.push(...keysOf(slice));
      }
      expect(walked.join('')).toBe(expected);
    });
  });

  it.each([
    ['type=show', 'EBH'],
    ['type=movie&lang=ko', 'C'],
    ['lang=ko', 'BC'],
    ['country=kr', 'BC'],
    ['genre=Drama', 'EABF'],
    ['genre=drama&type=show', 'EB'],
    ['genre=Dating', ''],
    ['year_min=2010', 'BGCF'],
    ['rating_min=8', 'EABG'],
    ['rating_min=7.8&min_votes=600', 'EABG'],
    ['min_votes=1000', 'EAB'],
    ['has_image=true', 'EA'],
    ['has_image=false', 'EABGCFHD'],
    ['genre=&type=&sort=&limit=&page=', 'EABGCFHD'],
  ])('filters %s → %s', async (query, expected) => {
    const page = await discover(query);
    expect(keysOf(page).join('')).toBe(expected);
    expect(page.total).toBe(expected.length);
  });

  it("answers the original's DiscoverTitle shape, omitting nulls and sentinel posters", async () => {
    const body = await discover('sort=a-z&limit=4');
    expect(Object.keys(body)).toEqual(['titles', 'total', 'page', 'per_page']);
    expect(body).toMatchObject({ total: 8, page: 1, per_page: 4 });
    const [alpha, , bravo] = body.titles;
    expect(alpha).toEqual({
      title_id: ids.A,
      type: 'movie',
      display_name: 'Alpha',
      start_year: 2001,
      image_url: 'https://img.test/a.jpg',
      movie_id: expect.any(Number),
      average_rating: 8,
      num_votes: 5000,
      tmdb_popularity: 10,
      genres: ['Drama'],
      engagement_count: 0,
    });
    expect(bravo).toMatchObject({ display_name: 'Bravo', genres: ['Drama', 'Romance'], show_id: expect.any(Number) });
    expect(bravo).not.toHaveProperty('image_url');
    const delta = (await discover('sort=a-z&limit=1&page=5')).titles[0];
    expect(delta).toEqual({
      title_id: ids.D,
      type: 'movie',
      display_name: 'Delta',
      movie_id: expect.any(Number),
      genres: [],
      engagement_count: 0,
    });
  });

  it('counts a filter once while paging through it', async () => {
    await discover('genre=Drama&limit=1&page=1');
    const before = t.counter.queries;
    const second = await discover('genre=Drama&limit=1&page=2');
    // The page and its genres; the total is remembered. On PostgreSQL a page that hashes the
    // genre's ids first raises its hash allowance (readWithHashedGenre): one statement more.
    expect(t.counter.queries - before).toBe(dialect === 'pg' ? 3 : 2);
    expect(second.total).toBe(4);
  });

  it('clamps limit to 100 and answers a page past the end with no titles', async () => {
    expect(await discover('limit=500')).toMatchObject({ per_page: 100, total: 8 });
    expect(await discover('page=50&limit=5')).toMatchObject({ titles: [], total: 8, page: 50 });
  });

  it.each([
    ['sort=best', 'sort'],
    ['year_min=abc', 'year_min'],
    ['limit=-1', 'limit'],
    ['limit=0', 'limit'],
    ['type=x', 'type'],
    ['page=0', 'page'],
    ['rating_min=11', 'rating_min'],
    ['rating_min=high', 'rating_min'],
    ['min_votes=-5', 'min_votes'],
    ['has_image=maybe', 'has_image'],
    ['country=USA', 'country'],
    ['lang=%3Cb%3E', 'lang'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await t.get(`/api/discover?${query}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('request.invalid_query');
    expect(body.fields[0].field).toBe(field);
    expect(body.error).toContain(field);
  });
});
