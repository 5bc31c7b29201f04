import { describe, expect, it } from 'vitest';
import { basicsFormat, compareImdbIds, episodesFormat, kindOf, ratingsFormat } from './imdb-files.ts';
import { MALFORMED, type TsvField } from './tsv.ts';

const N = null;

/** A line's fields as the reader hands them to a format. */
const line =
  (...values: (string | null)[]): TsvField =>
  (index) =>
    values[index] ?? null;

describe('kindOf', () => {
  it('maps IMDb title types onto the catalogue and ignores the rest', () => {
    expect(['movie', 'tvMovie', 'tvSeries', 'tvMiniSeries', 'tvEpisode'].map(kindOf)).toEqual([
      'movie',
      'movie',
      'show',
      'show',
      'episode',
    ]);
    expect(['short', 'video', 'tvSpecial', 'videoGame', 'tvShort', 'tvPilot', 'toString', null].map(kindOf)).toEqual(
      Array(8).fill(null),
    );
  });
});

describe('basicsFormat', () => {
  it('turns a movie line into a title row with its search key and genres', () => {
    const format = basicsFormat();
    const row = format.toRow(
      line('tt0211915', 'movie', 'Amélie', 'Le Fabuleux Destin', '2001', N, '122', 'Comedy,Romance'),
    );
    expect(row).toEqual({
      kind: 'movie',
      imdbId: 'tt0211915',
      displayName: 'Amélie',
      originalTitle: 'Le Fabuleux Destin',
      startYear: 2001,
      endYear: null,
      runtimeMinutes: 122,
      searchName: 'amelie',
      genres: ['Comedy', 'Romance'],
    });
  });

  it('keeps only the name of an episode, and falls back to the id when every column is \\N', () => {
    const format = basicsFormat();
    expect(format.toRow(line('tt0000101', 'tvEpisode', '"Weird Al" Show', N, N, N, N, N))).toEqual({
      kind: 'episode',
      imdbId: 'tt0000101',
      displayName: '"Weird Al" Show',
    });
    expect(format.toRow(line('tt0000102', 'tvSeries', N, N, N, N, N, N))).toMatchObject({
      kind: 'show',
      displayName: 'tt0000102',
      searchName: 'tt0000102',
      genres: [],
    });
  });

  it('counts ignored types and repeated ids, and rejects values the tables cannot hold', () => {
    const format = basicsFormat();
    expect(format.toRow(line('tt0000001', 'short', 'A short', N, N, N, N, N))).toBeNull();
    expect(format.toRow(line('tt0000002', 'movie', 'A', N, N, N, N, N))).not.toBeNull();
    expect(format.toRow(line('tt0000002', 'movie', 'A again', N, N, N, N, N))).toBeNull();
    expect(format.toRow(line('tt0000003', 'movie', 'B', N, 'nineteen', N, N, N))).toBe(MALFORMED);
    expect(format.toRow(line('tt0000004', 'movie', 'C', N, N, N, '99999999999', N))).toBe(MALFORMED);
    expect(format.toRow(line('nm0000005', 'movie', 'D', N, N, N, N, N))).toBe(MALFORMED);
    expect(format.toRow(line('tt0000006', 'movie', 'E', N, N, N, N, 'x'.repeat(51)))).toBe(MALFORMED);
    expect(format.counts).toMatchObject({ ignoredType: 1, duplicates: 1, sorted: true });
  });

  it('clips names to 500 characters without splitting a character', () => {
    const long = '東'.repeat(499) + '😀'.repeat(3);
    const row = basicsFormat().toRow(line('tt0000001', 'movie', long, N, N, N, N, N));
    expect(row).not.toBe(MALFORMED);
    const name = (row as { displayName: string }).displayName;
    expect([...name]).toHaveLength(500);
    expect(name.endsWith('東😀')).toBe(true);
  });

  it('takes ids in order by number or as text, and notices ids in neither', () => {
    const byNumber = basicsFormat();
    byNumber.toRow(line('tt9999999', 'movie', 'A', N, N, N, N, N));
    byNumber.toRow(line('tt10000000', 'movie', 'B', N, N, N, N, N));
    expect(byNumber.counts).toMatchObject({ sorted: true, keyOrder: 'number' });
    // IMDb's own exports: tt10000000 comes before tt9999999.
    const asText = basicsFormat();
    for (const id of ['tt0000001', 'tt10000000', 'tt10000001', 'tt9999999']) {
      asText.toRow(line(id, 'movie', 'A', N, N, N, N, N));
    }
    expect(asText.counts).toMatchObject({ sorted: true, keyOrder: 'text', duplicates: 0 });
    const shuffled = basicsFormat();
    shuffled.toRow(line('tt0000002', 'movie', 'A', N, N, N, N, N));
    shuffled.toRow(line('tt0000001', 'movie', 'B', N, N, N, N, N));
    expect(shuffled.counts).toMatchObject({ sorted: false, keyOrder: null });
    expect(compareImdbIds('tt9999999', 'tt10000000')).toBeLessThan(0);
    expect(compareImdbIds('tt9999999', 'tt10000000', 'text')).toBeGreaterThan(0);
  });
});

describe('episodesFormat', () => {
  it('keeps placed episodes (years as seasons, numbers above 10,000) and counts the rest', () => {
    const format = episodesFormat();
    expect(format.toRow(line('tt0000101', 'tt0000100', '1994', '10001'))).toEqual({
      imdbId: 'tt0000101',
      parentImdbId: 'tt0000100',
      season: 1994,
      episode: 10001,
    });
    expect(format.toRow(line('tt0000102', 'tt0000100', N, N))).toBeNull();
    expect(format.toRow(line('tt0000103', 'tt0000100', '1', N))).toBeNull();
    expect(format.toRow(line('tt0000104', N, '1', '1'))).toBeNull();
    expect(format.toRow(line('tt0000105', 'tt0000100', 'one', '1'))).toBe(MALFORMED);
    expect(format.counts).toMatchObject({ nullSeasonOrEpisode: 2, unknownParent: 1 });
  });
});

describe('ratingsFormat', () => {
  it('reads one-decimal ratings and vote counts, rejecting anything else', () => {
    const format = ratingsFormat();
    expect(format.toRow(line('tt0000001', '5.8', '1356'))).toEqual({
      imdbId: 'tt0000001',
      averageRating: 5.8,
      numVotes: 1356,
    });
    expect(format.toRow(line('tt0000002', '10', '3'))).toEqual({ imdbId: 'tt0000002', averageRating: 10, numVotes: 3 });
    for (const bad of [
      ['tt0000003', '5.85', '1'],
      ['tt0000004', '11.0', '1'],
      ['tt0000005', N, '1'],
      ['tt0000006', '5.0', '-1'],
    ]) {
      expect(format.toRow(line(...bad))).toBe(MALFORMED);
    }
  });
});
