import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect, openTestRepositories } from '../../test/databases.ts';
import { createGenreReviewRepository } from './genre-review.repository.ts';
import { formatReviewFile, parseReviewFile, ReviewFileError } from './genre-review.ts';

describe('review file', () => {
  it('writes the original format and reads back what the owner filled in', () => {
    const text = formatReviewFile(
      [
        {
          title_id: 7,
          display_name: 'Love Island',
          start_year: 2015,
          type: 'show',
          num_votes: 12_345,
          average_rating: 5.1,
          original_language: 'en',
          origin_country: 'GB',
          genres: ['Game-Show', 'Reality-TV'],
        },
      ],
      ['Cooking', 'Dating'],
      new Date('2026-01-02T00:00:00Z'),
    );
    expect(text).toContain('# Generated: 2026-01-02 | 1 titles | Custom genres: Cooking, Dating');
    expect(text).toContain(
      '[7] Love Island (2015) | show | 12K votes | 5.1 | en/GB | Game-Show, Reality-TV\nGENRES:\n',
    );
    const filled = text.replace('GENRES:', 'GENRES: Dating, cooking');
    expect(parseReviewFile(filled)).toEqual([{ titleId: 7, genres: ['Dating', 'cooking'], line: 7 }]);
    expect(parseReviewFile('[1] a\nGENRES: none\n[2] b\nGENRES:\n')).toEqual([
      { titleId: 1, genres: [], line: 2 },
      { titleId: 2, genres: [], line: 4 },
    ]);
  });

  it('reports every malformed line by number', () => {
    const attempt = () => parseReviewFile('[1] a\nGENRES: Dating\nGENRES: Dating\nrandom text\n[x] y\n[3] z\n');
    expect(attempt).toThrow(ReviewFileError);
    expect(attempt).toThrow(/line 3: GENRES: without[\s\S]*line 4: not a title[\s\S]*line 5: not a title[\s\S]*line 6/);
  });
});

describeEachDialect('genre review repository', (dialect) => {
  let r: Awaited<ReturnType<typeof openTestRepositories>>;
  let review: ReturnType<typeof createGenreReviewRepository>;
  beforeEach(async () => {
    r = await openTestRepositories(dialect);
    review = createGenreReviewRepository({ sql: r.db.sql, genres: r.genres });
    await review.ensureCustom(['Cooking', 'Dating']);
  });
  afterEach(() => r.db.close());

  it('offers unreviewed titles by votes, filtered by IMDb genre, then applies decisions', async () => {
    const a = await r.titles.create({ type: 'show', display_name: 'Love Island', genres: ['Reality-TV'] });
    const b = await r.titles.create({ type: 'movie', display_name: 'Chef', genres: ['Comedy'] });
    await r.db.sql.run(sql`UPDATE titles SET num_votes = 10 WHERE id = ${b.title_id}`);
    expect((await review.candidates({ limit: 10, imdbGenres: [] })).map((c) => c.title_id)).toEqual([
      b.title_id,
      a.title_id,
    ]);
    expect((await review.candidates({ limit: 10, imdbGenres: ['Reality-TV'] })).map((c) => c.display_name)).toEqual([
      'Love Island',
    ]);
    const outcome = await review.apply([
      { titleId: a.title_id, genres: ['dating'], line: 2 },
      { titleId: b.title_id, genres: [], line: 4 },
    ]);
    expect(outcome).toEqual({ titles: 2, assigned: 1, none: 1 });
    expect((await r.titles.findById(a.title_id))?.genres).toEqual(['Dating', 'Reality-TV']);
    expect(await review.candidates({ limit: 10, imdbGenres: [] })).toEqual([]);
  });

  it('imports nothing when a title or genre is unknown', async () => {
    const a = await r.titles.create({ type: 'show', display_name: 'Show' });
    const attempt = review.apply([
      { titleId: a.title_id, genres: ['Dating'], line: 2 },
      { titleId: 999_999, genres: ['Horror'], line: 4 },
    ]);
    await expect(attempt).rejects.toThrow(/line 4: no title with id 999999[\s\S]*'Horror' is not a custom genre/);
    expect((await r.titles.findById(a.title_id))?.genres).toEqual([]);
    expect(await review.candidates({ limit: 10, imdbGenres: [] })).toHaveLength(1);
  });
});
