/**
 * What discover and the carousels filter and sort on, for the benchmark's titles: IMDb's
 * genres (1–3 per title, skewed like the real catalogue: Drama and Comedy everywhere, Film-Noir
 * rare), TMDB popularity, origin country and release date. Drawn from a stream of their own,
 * so adding them left the names, votes and languages of the search data set unchanged.
 */
import type { Random } from './data.ts';

/** IMDb's genre names with rough weights from the real catalogue. */
export const GENRES: [string, number][] = [
  ['Drama', 30],
  ['Comedy', 20],
  ['Documentary', 9],
  ['Action', 8],
  ['Romance', 8],
  ['Thriller', 7],
  ['Crime', 7],
  ['Horror', 6],
  ['Adventure', 5],
  ['Family', 4],
  ['Mystery', 4],
  ['Animation', 4],
  ['Fantasy', 3],
  ['Biography', 3],
  ['Music', 3],
  ['History', 3],
  ['Sci-Fi', 3],
  ['Reality-TV', 2],
  ['Talk-Show', 1],
  ['Game-Show', 1],
  ['News', 1],
  ['Sport', 2],
  ['War', 2],
  ['Western', 1],
  ['Musical', 1],
  ['Film-Noir', 0.2],
  ['Dating', 0.3],
  ['Cooking', 0.3],
];

const GENRE_TOTAL = GENRES.reduce((sum, [, w]) => sum + w, 0);

const COUNTRY_FOR: Record<string, string[]> = {
  en: ['US', 'US', 'US', 'GB', 'CA', 'AU'],
  fr: ['FR', 'FR', 'BE', 'CA'],
  ja: ['JP'],
  es: ['ES', 'MX', 'AR'],
  de: ['DE', 'AT'],
  hi: ['IN'],
  ko: ['KR'],
  it: ['IT'],
  zh: ['CN', 'TW', 'HK'],
  pt: ['BR', 'PT'],
  ru: ['RU'],
};

export interface DiscoverFields {
  tmdbPopularity: number | null;
  originCountry: string | null;
  releaseDate: string | null;
  /** Genre ids: 1-based positions in GENRES. */
  genreIds: number[];
}

const two = (n: number) => String(n).padStart(2, '0');

function pickGenre(random: Random): number {
  let u = random() * GENRE_TOTAL;
  for (let i = 0; i < GENRES.length; i++) {
    u -= (GENRES[i] as [string, number])[1];
    if (u < 0) return i + 1;
  }
  return GENRES.length;
}

export function discoverFields(
  random: Random,
  title: { numVotes: number | null; startYear: number; originalLanguage: string | null },
): DiscoverFields {
  const count = 1 + Math.floor(random() * 3);
  const genreIds = [...new Set(Array.from({ length: count }, () => pickGenre(random)))].sort((a, b) => a - b);
  // Popularity follows votes loosely; about a third of titles were never enriched from TMDB.
  const enriched = random() >= 0.35;
  const tmdbPopularity = enriched
    ? Math.round((Math.log10(1 + (title.numVotes ?? 0)) * 4 + random() * 20) * 1000) / 1000
    : null;
  const countries = title.originalLanguage ? COUNTRY_FOR[title.originalLanguage] : undefined;
  const originCountry =
    enriched && countries ? (countries[Math.floor(random() * countries.length)] as string) : enriched ? 'US' : null;
  const releaseDate = enriched
    ? `${title.startYear}-${two(1 + Math.floor(random() * 12))}-${two(1 + Math.floor(random() * 28))}`
    : null;
  return { tmdbPopularity, originCountry, releaseDate, genreIds };
}
