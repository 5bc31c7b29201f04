/**
 * sort=popular is read in two parts (engaged titles by views, then the rest by id) and genre
 * filters resolve the genre's id first: both must answer exactly what the one-query
 * definitions did.
 */
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { createDiscoverRepository, type DiscoverFilter } from './discover.repository.ts';
import { type SeedTitle, seedTitles } from './discover.test-seed.ts';

// 24 titles; every third a show; genres spread so that filters cut across both parts.
const TITLES: SeedTitle[] = Array.from({ length: 24 }, (_, i) => ({
  key: `T${i}`,
  type: i % 3 === 0 ? 'show' : 'movie',
  name: `Title ${i}`,
  votes: 100 * i,
  genres: [i % 2 === 0 ? 'Drama' : 'Comedy', ...(i % 5 === 0 ? ['Western'] : [])],
}));

// Views for some titles, in no id order: ties (7, 3), zero views, and engaged titles that
// filters exclude. The rest have no title_engagement row.
const VIEWS: [number, number][] = [
  [17, 7],
  [3, 7],
  [20, 7],
  [5, 3],
  [0, 3],
  [11, 1],
  [8, 0],
  [2, 0],
  [22, 12],
];

describeEachDialect('discover: popular in two parts, genres by id', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    ids = await seedTitles(t, TITLES);
    for (const [i, views] of VIEWS) {
      await t.db.sql.run(sql`INSERT INTO title_engagement (title_id, views) VALUES (${ids[`T${i}`]}, ${views})`);
    }
  });
  afterAll(() => t.close());

  /** The old single query: LEFT JOIN, one ORDER BY over every match. */
  const oldOrder = async (where: SQL) =>
    (
      await t.db.sql.all<{ id: number; views: number }>(sql`
        SELECT t.id, COALESCE(te.views, 0) AS views FROM titles t
        LEFT JOIN title_engagement te ON te.title_id = t.id
        WHERE ${where} ORDER BY te.views DESC NULLS LAST, t.id`)
    ).map((r) => ({ id: Number(r.id), views: Number(r.views) }));

  const walk = async (filter: DiscoverFilter, limit: number) => {
    const seen: { id: number; views: number }[] = [];
    let total = -1;
    for (let offset = 0; ; offset += limit) {
      const page = await t.repositories.discover.find(filter, limit, offset);
      if (total === -1) total = page.total;
      expect(page.total).toBe(total);
      seen.push(...page.titles.map((x) => ({ id: x.title_id, views: x.engagement_count })));
      if (page.titles.length < limit) {
        expect(offset + page.titles.length).toBe(total);
        break;
      }
    }
    return { seen, total };
  };

  describe.each([
    ['no filter', {}, sql`1 = 1`],
    ['movies', { type: 'movie' }, sql`t.type = 'movie'`],
    ['shows', { type: 'show' }, sql`t.type = 'show'`],
    [
      'Drama',
      { genre: 'drama' },
      sql`EXISTS (SELECT 1 FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
        WHERE tg.title_id = t.id AND lower(g.name) = 'drama')`,
    ],
    [
      'Western movies',
      { genre: 'WESTERN', type: 'movie' },
      sql`t.type = 'movie' AND EXISTS (SELECT 1 FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
        WHERE tg.title_id = t.id AND lower(g.name) = 'western')`,
    ],
  ] as [string, Partial<DiscoverFilter>, SQL][])('%s', (_label, filter, where) => {
    it.each([1, 2, 3, 4, 5, 7, 100])('walked %i at a time: the old order, no gaps or repeats', async (limit) => {
      const expected = await oldOrder(where);
      expect(expected.length).toBeGreaterThan(0);
      const { seen, total } = await walk({ ...filter, sort: 'popular' }, limit);
      expect(total).toBe(expected.length);
      expect(seen).toEqual(expected);
    });
  });

  it('puts zero-view titles after every other engaged title and before the unengaged, ties by id', async () => {
    const { seen } = await walk({ sort: 'popular' }, 4);
    const key = (id: number) => Object.keys(ids).find((k) => ids[k] === id);
    // Views 12; 7 × 3 by id; 3 × 2 by id; 1; 0 × 2 by id; then the rest by id.
    const engaged = ['T22', 'T3', 'T17', 'T20', 'T0', 'T5', 'T11', 'T2', 'T8'];
    const rest = TITLES.map((s) => s.key).filter((k) => !engaged.includes(k));
    expect(seen.map((x) => key(x.id))).toEqual([...engaged, ...rest]);
    expect(seen.map((x) => x.views).slice(0, 10)).toEqual([12, 7, 7, 7, 3, 3, 1, 0, 0, 0]);
  });

  it('answers a page past the engaged part from the rest alone', async () => {
    const whole = (await t.repositories.discover.find({ sort: 'popular' }, 100, 0)).titles.map((x) => x.title_id);
    for (const offset of [8, 9, 10, 15, 23]) {
      const page = await t.repositories.discover.find({ sort: 'popular' }, 3, offset);
      expect(page.titles.map((x) => x.title_id)).toEqual(whole.slice(offset, offset + 3));
    }
    expect((await t.repositories.discover.find({ sort: 'popular' }, 3, 24)).titles).toEqual([]);
  });

  it('matches genres by name case-insensitively, through their ids', async () => {
    const western = await t.repositories.discover.find({ genre: 'western', sort: 'most_rated' }, 100, 0);
    expect(western.titles.map((x) => x.title_id)).toEqual(
      [20, 15, 10, 5, 0].map((i) => ids[`T${i}`]), // votes descending
    );
    expect(western.total).toBe(5);
    expect(western.titles.every((x) => x.genres.includes('Western'))).toBe(true);
  });

  it.each([
    ['read from title_genres', 1000],
    ['probed per title', 0],
  ])('filters by genre alike whether it is %s', async (_form, rareGenreTitles) => {
    const discover = createDiscoverRepository({ sql: t.db.sql, rareGenreTitles });
    for (const [filter, where] of [
      [{ genre: 'drama', type: 'show' }, sql`t.type = 'show'`],
      [{ genre: 'Western' }, sql`1 = 1`],
      [{ genre: 'COMEDY', min_votes: 500 }, sql`t.num_votes >= 500`],
    ] as [Partial<DiscoverFilter>, SQL][]) {
      const name = (filter.genre as string).toLowerCase();
      for (const sort of ['most_rated', 'a-z', 'popular'] as const) {
        const expected = await t.db.sql.all<{ id: number }>(sql`
          SELECT t.id FROM titles t LEFT JOIN title_engagement te ON te.title_id = t.id
          WHERE ${where} AND EXISTS (SELECT 1 FROM title_genres tg JOIN genres g ON g.id = tg.genre_id
            WHERE tg.title_id = t.id AND lower(g.name) = ${name})
          ORDER BY ${sort === 'most_rated' ? sql`t.num_votes DESC NULLS LAST, t.id` : sort === 'a-z' ? sql`t.display_name, t.id` : sql`te.views DESC NULLS LAST, t.id`}`);
        const page = await discover.find({ ...filter, sort }, 100, 0);
        expect(page.titles.map((x) => x.title_id)).toEqual(expected.map((r) => Number(r.id)));
        expect(page.total).toBe(expected.length);
      }
    }
  });

  it('pages a type filter alike whether SQLite walks the sort index or the type index', async () => {
    const walking = createDiscoverRepository({ sql: t.db.sql, walkSortIndexAbove: 0 });
    const indexed = createDiscoverRepository({ sql: t.db.sql, walkSortIndexAbove: Number.POSITIVE_INFINITY });
    const sorts = ['most_rated', 'trending', 'popular', 'top_rated', 'newest', 'hidden_gems', 'a-z'] as const;
    for (const sort of sorts) {
      // min_votes: 0 lifts top_rated's 1000-vote floor, so this small catalogue has matches.
      for (const filter of [
        { type: 'show', min_votes: 0 },
        { type: 'movie', genre: 'drama' },
      ] as Partial<DiscoverFilter>[]) {
        for (const offset of [0, 3, 7]) {
          const a = await walking.find({ ...filter, sort }, 4, offset);
          const b = await indexed.find({ ...filter, sort }, 4, offset);
          expect(a).toEqual(b);
        }
        const all = await walking.find({ ...filter, sort }, 100, 0);
        if (sort !== 'hidden_gems' && !(sort === 'top_rated' && filter.genre)) expect(all.total).toBeGreaterThan(0);
        expect(all.titles.every((x) => x.type === filter.type)).toBe(true);
      }
    }
  });

  it('answers an unknown genre with an empty page and no count', async () => {
    const before = t.counter.queries;
    const page = await t.repositories.discover.find({ genre: 'Dating', sort: 'top_rated' }, 10, 0);
    expect(page).toEqual({ titles: [], total: 0 });
    expect(t.counter.queries - before).toBe(1); // the genre lookup alone
    // A genre created afterwards is found at once (unknown names are not remembered).
    await t.post('/api/movies', { display_name: 'Swipe', genres: ['Dating'] });
    const found = await t.repositories.discover.find({ genre: 'dating', sort: 'a-z' }, 10, 0);
    expect(found.titles.map((x) => x.display_name)).toEqual(['Swipe']);
  });
});
