/** Titles with known votes, ratings, years and genres for the discover and collections tests. */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp } from '../../test/app.ts';

export interface SeedTitle {
  key: string;
  type: 'movie' | 'show';
  name: string;
  votes?: number;
  rating?: number;
  popularity?: number;
  year?: number;
  release?: string;
  image?: string;
  lang?: string;
  country?: string;
  genres?: string[];
  imdb?: string;
}

// Ties on purpose: A/B share votes and rating, B/E popularity, A/H a name, C/B a year.
export const SEED: SeedTitle[] = [
  {
    key: 'A',
    type: 'movie',
    name: 'Alpha',
    votes: 5000,
    rating: 8,
    popularity: 10,
    year: 2001,
    image: 'https://img.test/a.jpg',
    lang: 'en',
    country: 'US',
    genres: ['Drama'],
    imdb: 'tt0000001',
  },
  {
    key: 'B',
    type: 'show',
    name: 'Bravo',
    votes: 5000,
    rating: 8,
    popularity: 50,
    year: 2020,
    image: 'none',
    lang: 'ko',
    country: 'KR',
    genres: ['Drama', 'Romance'],
    imdb: 'tt0000002',
  },
  {
    key: 'C',
    type: 'movie',
    name: 'Charlie',
    votes: 500,
    rating: 7.8,
    year: 2020,
    release: '2020-05-01',
    lang: 'ko',
    country: 'KR',
    genres: ['Comedy'],
    imdb: 'tt0000003',
  },
  { key: 'D', type: 'movie', name: 'Delta', lang: 'en' },
  {
    key: 'E',
    type: 'show',
    name: 'Echo',
    votes: 20000,
    rating: 9,
    popularity: 50,
    year: 1999,
    image: 'https://img.test/e.jpg',
    lang: 'en',
    country: 'US',
    genres: ['Crime', 'Drama'],
  },
  {
    key: 'F',
    type: 'movie',
    name: 'Foxtrot',
    votes: 150,
    rating: 7.5,
    popularity: 5,
    year: 2010,
    lang: 'fr',
    country: 'FR',
    genres: ['Drama'],
  },
  {
    key: 'G',
    type: 'movie',
    name: 'Golf',
    votes: 800,
    rating: 9.5,
    popularity: 1,
    year: 2010,
    image: 'TMDB_NOT_FOUND_DO_NOT_RETRY',
    lang: 'en',
  },
  { key: 'H', type: 'show', name: 'Alpha', votes: 10, lang: 'en' },
];

/** Creates the titles in order; returns their ids by key. */
export async function seedTitles(t: TestApp, titles: SeedTitle[] = SEED): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const s of titles) {
    const res = await t.post('/api/titles', {
      type: s.type,
      display_name: s.name,
      start_year: s.year ?? null,
      release_date: s.release ?? null,
      original_language: s.lang ?? null,
      origin_country: s.country ?? null,
      imdb_id: s.imdb ?? null,
      genres: s.genres ?? [],
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { title_id: number }).title_id;
    await t.db.sql.run(sql`UPDATE titles SET num_votes = ${s.votes ?? null}, average_rating = ${s.rating ?? null},
      tmdb_popularity = ${s.popularity ?? null}, image_url = ${s.image ?? null} WHERE id = ${id}`);
    ids[s.key] = id;
  }
  return ids;
}
