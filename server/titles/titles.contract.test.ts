/** The titles and genres repository contract, run against SQLite and PostgreSQL alike. */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestRepositories } from '../../test/databases.ts';
import { AppError } from '../http/errors.ts';
import type { NewTitle } from './titles.repository.ts';

type Repos = Awaited<ReturnType<typeof openTestRepositories>>;

describeEachDialect('titles repository', (dialect) => {
  let r: Repos;
  beforeEach(async () => {
    r = await openTestRepositories(dialect);
  });
  afterEach(async () => {
    await r.db.close();
  });

  const seed = async (title: Partial<NewTitle> & { display_name: string }, votes?: number, rating?: number) => {
    const created = await r.titles.create({ type: 'movie', ...title });
    if (votes !== undefined || rating !== undefined) {
      await r.db.sql.run(
        sql`UPDATE titles SET num_votes = ${votes ?? null}, average_rating = ${rating ?? null} WHERE id = ${created.title_id}`,
      );
    }
    return created.title_id;
  };
  const searchNames = async (q: string, extra: Partial<{ type: 'movie' | 'show'; lang: string }> = {}) =>
    (await r.titles.search({ q, limit: 100, offset: 0, ...extra })).titles.map((t) => t.display_name);

  it('creates a movie with its movie row, genres sorted, and reads it back', async () => {
    const created = await r.titles.create({
      type: 'movie',
      display_name: 'The Matrix',
      start_year: 1999,
      imdb_id: 'tt0133093',
      genres: ['Sci-Fi', 'Action'],
    });
    expect(created).toMatchObject({
      type: 'movie',
      display_name: 'The Matrix',
      start_year: 1999,
      end_year: null,
      imdb_id: 'tt0133093',
      show_id: null,
      genres: ['Action', 'Sci-Fi'],
      needs_backfill_tmdb: true,
    });
    expect(created.movie_id).toBeGreaterThan(0);
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await r.titles.findById(created.title_id)).toEqual(created);
    expect(await r.movies.findById(created.movie_id as number)).toMatchObject({ title_id: created.title_id });
  });

  it('creates a show with its show row', async () => {
    const show = await r.shows.create({ display_name: 'Breaking Bad', start_year: 2008, end_year: 2013 });
    expect(show.title).toMatchObject({ type: 'show', movie_id: null, show_id: show.id, end_year: 2013 });
    expect(await r.movies.findById(show.id)).toBeNull();
  });

  it('refuses a second title with the same imdb_id as a 409', async () => {
    await r.titles.create({ type: 'movie', display_name: 'A', imdb_id: 'tt0000001' });
    const error = await r.titles.create({ type: 'show', display_name: 'B', imdb_id: 'tt0000001' }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409, code: 'titles.imdb_id_taken' });
    expect((await r.titles.search({ limit: 10, offset: 0 })).total).toBe(1);
  });

  it('updates only the fields given, and keeps search in step with the name', async () => {
    const created = await r.titles.create({ type: 'movie', display_name: 'Old', start_year: 2001, end_year: 2002 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await r.titles.update(created.title_id, {
      display_name: 'Amélie',
      end_year: null,
      genres: ['Comedy'],
    });
    expect(updated).toMatchObject({ display_name: 'Amélie', start_year: 2001, end_year: null, genres: ['Comedy'] });
    expect((updated?.updated_at ?? '') > created.updated_at).toBe(true);
    expect(updated?.created_at).toBe(created.created_at);
    expect(await searchNames('amelie')).toEqual(['Amélie']);
    expect(await searchNames('old')).toEqual([]);
    expect(await r.titles.update(999_999, { display_name: 'x' })).toBeNull();
  });

  it('deletes a title with its movie or show row, seasons and episodes', async () => {
    const show = await r.shows.create({ display_name: 'Show' });
    const season = await r.seasons.create(show.id, 1);
    const episode = await r.episodes.create(season?.season_id as number, { episode_number: 1 });
    expect(await r.shows.delete(show.id)).toBe(true);
    expect(await r.shows.delete(show.id)).toBe(false);
    expect(await r.titles.findById(show.title_id)).toBeNull();
    expect(await r.seasons.findById(season?.season_id as number)).toBeNull();
    expect(await r.episodes.findById(episode?.episode_id as number)).toBeNull();
  });

  it('finds titles whatever the accents and case', async () => {
    await seed({ display_name: 'Amélie' });
    await seed({ display_name: 'Crème Brûlée Ærø' });
    expect(await searchNames('amelie')).toEqual(['Amélie']);
    expect(await searchNames('AMÉLIE')).toEqual(['Amélie']);
    expect(await searchNames('BRULEE aero')).toEqual(['Crème Brûlée Ærø']);
  });

  it('ranks exact, then prefix, then substring matches, then by votes, ties by id', async () => {
    const substringPopular = await seed({ display_name: 'Into the Matrix Reloaded' }, 900_000);
    const prefixLow = await seed({ display_name: 'Matrix Resurrections' }, 10);
    const exact = await seed({ display_name: 'Matrix' }, 5);
    const prefixHigh = await seed({ display_name: 'Matrix Reloaded' }, 500_000);
    const tieA = await seed({ display_name: 'The Matrix Files' }, 100);
    const tieB = await seed({ display_name: 'The Matrix Files' }, 100);
    await seed({ display_name: 'Unrelated' }, 1_000_000);
    const page = await r.titles.search({ q: 'matrix', limit: 100, offset: 0 });
    expect(page.titles.map((t) => t.title_id)).toEqual([exact, prefixHigh, prefixLow, substringPopular, tieA, tieB]);
    expect(page.total).toBe(6);
  });

  it('treats % and _ in a query as ordinary characters', async () => {
    await seed({ display_name: '100% Love' });
    await seed({ display_name: '1000 Loves' });
    await seed({ display_name: 'snake_case story' });
    await seed({ display_name: 'snakeXcase story' });
    expect(await searchNames('100%')).toEqual(['100% Love']);
    expect(await searchNames('e_c')).toEqual(['snake_case story']);
    expect(await searchNames('"quoted')).toEqual([]);
  });

  it('matches queries shorter than three characters by prefix only', async () => {
    await seed({ display_name: 'Up' }, 10);
    await seed({ display_name: 'Upgrade' }, 20);
    await seed({ display_name: 'Pop Up' }, 30);
    expect(await searchNames('up')).toEqual(['Up', 'Upgrade']);
  });

  it('filters by type and language, with a language facet that ignores the language filter', async () => {
    await seed({ display_name: 'Star One', original_language: 'en' }, 3);
    await seed({ display_name: 'Star Two', original_language: 'en' }, 2);
    await seed({ display_name: 'Star Trois', original_language: 'fr' }, 1);
    await seed({ display_name: 'Star Show', type: 'show', original_language: 'ko' }, 4);
    await seed({ display_name: 'Star Unknown' }, 0);
    const page = await r.titles.search({ q: 'star', lang: 'en', limit: 100, offset: 0 });
    expect(page.titles.map((t) => t.display_name)).toEqual(['Star One', 'Star Two']);
    expect(page.total).toBe(2);
    expect(page.languages).toEqual([
      { code: 'en', count: 2 },
      { code: 'fr', count: 1 },
      { code: 'ko', count: 1 },
    ]);
    expect(await searchNames('star', { type: 'show' })).toEqual(['Star Show']);
    const all = await r.titles.search({ q: 'star', limit: 100, offset: 0 });
    expect(all.total).toBe(5);
  });

  it('lists every title by votes without a query, pages without overlap, and past the end is empty', async () => {
    for (let i = 0; i < 7; i++) await seed({ display_name: `Title ${i}` }, i % 3);
    const seen: number[] = [];
    for (let offset = 0; offset < 7; offset += 3) {
      const page = await r.titles.search({ limit: 3, offset });
      expect(page.total).toBe(7);
      seen.push(...page.titles.map((t) => t.title_id));
    }
    expect(new Set(seen).size).toBe(7);
    const votes = (await r.titles.search({ limit: 10, offset: 0 })).titles.map((t) => t.num_votes);
    expect(votes).toEqual([2, 2, 1, 1, 0, 0, 0]);
    expect((await r.titles.search({ limit: 3, offset: 300 })).titles).toEqual([]);
  });

  it('gives the same order whether pages are read by index lookups or by walking titles by votes', async () => {
    // 40 matches among 240 titles: one-title pages early on walk, later ones and a
    // 100-title page look up (search-plan.ts); every tier and vote tie must agree.
    const names = ['Star', 'Star', 'Stardust', 'Star Trek', 'Lone Star', 'Dark Star', 'Starman', 'Superstar'];
    for (let i = 0; i < 40; i++) {
      const votes = i % 7 === 0 ? undefined : (i * 37) % 11;
      await seed({ display_name: names[i % names.length] as string, type: i % 3 ? 'movie' : 'show' }, votes);
    }
    for (let i = 0; i < 200; i++) await seed({ display_name: `Other ${i}` }, i % 5);
    const all = await r.titles.search({ q: 'star', limit: 100, offset: 0 });
    expect(all.total).toBe(40);
    const onePerPage: number[] = [];
    for (let offset = 0; offset < 40; offset++) {
      const page = await r.titles.search({ q: 'star', limit: 1, offset });
      onePerPage.push(...page.titles.map((t) => t.title_id));
    }
    expect(onePerPage).toEqual(all.titles.map((t) => t.title_id));
    const names0 = all.titles.map((t) => t.display_name);
    expect(names0.slice(0, 10)).toEqual(Array(10).fill('Star'));
    expect(names0.indexOf('Lone Star')).toBeGreaterThan(names0.lastIndexOf('Starman'));
    const movies = await r.titles.search({ q: 'star', type: 'movie', limit: 100, offset: 0 });
    const movieOnePerPage: number[] = [];
    for (let offset = 0; offset < movies.total; offset++) {
      movieOnePerPage.push(
        ...(await r.titles.search({ q: 'star', type: 'movie', limit: 1, offset })).titles.map((t) => t.title_id),
      );
    }
    expect(movieOnePerPage).toEqual(movies.titles.map((t) => t.title_id));
  });

  it('sees its own writes at once despite cached counts', async () => {
    await seed({ display_name: 'Cached One' });
    expect((await r.titles.search({ q: 'cached', limit: 10, offset: 0 })).total).toBe(1);
    const second = await seed({ display_name: 'Cached Two' });
    expect((await r.titles.search({ q: 'cached', limit: 10, offset: 0 })).total).toBe(2);
    await r.titles.update(second, { display_name: 'Renamed' });
    expect((await r.titles.search({ q: 'cached', limit: 10, offset: 0 })).total).toBe(1);
    await r.titles.delete(second);
    expect((await r.titles.search({ limit: 10, offset: 0 })).total).toBe(1);
  });

  it('keeps ratings exact', async () => {
    const id = await seed({ display_name: 'Rated' }, 1234, 7.3);
    expect((await r.titles.findById(id))?.average_rating).toBe(7.3);
  });

  it('replaces genres and lists them with counts, custom when the owner made them up', async () => {
    const a = await seed({ display_name: 'A', genres: ['Drama', 'Dating'] });
    const b = await seed({ display_name: 'B', genres: ['Drama'] });
    await r.titles.update(a, { genres: ['Drama'] });
    const byTitle = await r.genres.forTitles([a, b, 999]);
    expect(Object.fromEntries(byTitle)).toEqual({ [a]: ['Drama'], [b]: ['Drama'], 999: [] });
    expect(await r.genres.list()).toEqual([
      { name: 'Dating', is_custom: true, title_count: 0 },
      { name: 'Drama', is_custom: true, title_count: 2 },
    ]);
  });
});
