/**
 * Discover and carousels (issue 5): sequential p50/p99 for every sort and for a few filter
 * combinations, each answer checked (ordered as the sort says, within the filter), then the
 * carousels' requests/s under many connections.
 */
import { DISCOVER_SORTS, type DiscoverSort } from '../../server/discover/discover.schemas.ts';
import { BenchCheckError, getJson, measureSequential, measureThroughput, type SequentialOptions } from './measure.ts';
import type { Options } from './options.ts';
import { discoverRow, type ReportRow, throughputRow } from './report.ts';

interface DiscoverBody {
  titles: {
    title_id: number;
    type: string;
    start_year?: number;
    num_votes?: number;
    average_rating?: number;
    tmdb_popularity?: number;
    genres: string[];
  }[];
  total: number;
  page: number;
  per_page: number;
}

/** Filter combinations measured besides the plain sorts: what the dashboard's chips produce. */
export const DISCOVER_FILTERS: { label: string; query: Record<string, string> }[] = [
  { label: 'genre + type, top_rated', query: { genre: 'Drama', type: 'movie', sort: 'top_rated' } },
  { label: 'lang + type, most_rated', query: { lang: 'ko', type: 'show', sort: 'most_rated' } },
  {
    label: 'country + year + rating, newest',
    query: { country: 'US', year_min: '2000', rating_min: '7', sort: 'newest' },
  },
  // A rare genre (Western, about 1.4% of titles) of titles with a poster, by every sort.
  ...DISCOVER_SORTS.map((sort) => ({
    label: `rare genre + has_image, ${sort}`,
    query: { genre: 'Western', has_image: 'true', sort } as Record<string, string>,
  })),
  // A mid-size genre (Sport, about 2.8% of titles: twice Western's weight in GENRES) of titles
  // with a poster, by every sort: between the rare genres and the large ones in cost.
  ...DISCOVER_SORTS.map((sort) => ({
    label: `mid genre + has_image, ${sort}`,
    query: { genre: 'Sport', has_image: 'true', sort } as Record<string, string>,
  })),
];

// The field each sort orders by first, descending (a-z and popular are checked for shape only).
const ORDER_FIELD: Partial<Record<DiscoverSort, 'num_votes' | 'tmdb_popularity' | 'average_rating' | 'start_year'>> = {
  most_rated: 'num_votes',
  trending: 'tmdb_popularity',
  top_rated: 'average_rating',
  hidden_gems: 'average_rating',
  newest: 'start_year',
};

/** Throws unless the body is a discover page in the promised order and within the filter. */
export function checkDiscover(body: unknown, query: Record<string, string>): number {
  const page = body as DiscoverBody;
  if (!Array.isArray(page?.titles) || typeof page.total !== 'number') {
    throw new BenchCheckError(`discover ${JSON.stringify(query)}: not a discover answer`);
  }
  const field = ORDER_FIELD[(query.sort ?? 'most_rated') as DiscoverSort];
  const values = field ? page.titles.map((t) => t[field] ?? Number.NEGATIVE_INFINITY) : [];
  for (let i = 1; i < values.length; i++) {
    if ((values[i] as number) > (values[i - 1] as number)) {
      throw new BenchCheckError(`discover ${JSON.stringify(query)}: not ordered by ${field} at row ${i}`);
    }
  }
  for (const t of page.titles) {
    if (query.type && t.type !== query.type)
      throw new BenchCheckError(`discover: a ${t.type} in a ${query.type} filter`);
    if (query.genre && !t.genres.includes(query.genre))
      throw new BenchCheckError(`discover: title without ${query.genre}`);
  }
  return page.total;
}

const discoverPath = (query: Record<string, string>, page: number) =>
  `/api/discover?${new URLSearchParams({ ...query, ...(page > 1 && { page: String(page) }) })}`;

/** The first pages of a query in turn: each path asked several times, as browsing does. */
const pagesOf = (query: Record<string, string>, pages: number) =>
  Array.from({ length: pages }, (_, i) => discoverPath(query, i + 1));

export async function measureDiscover(
  baseUrl: string,
  sequential: SequentialOptions,
  options: Options,
  rows: ReportRow[],
  log: (line: string) => void,
) {
  const cases = [
    ...DISCOVER_SORTS.map((sort) => ({ label: `sort ${sort}`, query: { sort } as Record<string, string> })),
    ...DISCOVER_FILTERS,
  ];
  for (const { label, query } of cases) {
    const paths = pagesOf(query, 5);
    const result = await measureSequential(baseUrl, paths, (body) => checkDiscover(body, query), sequential);
    const total = result.results[0] ?? 0;
    rows.push(discoverRow(`discover: ${label} (n=${result.n}, ${total} matches)`, result, { query, total }));
    log(`discover ${label}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${total} matches`);
  }

  const carousels = (await getJson(baseUrl, '/api/discover/carousels?per_page=50')) as { total: number };
  if (!(carousels.total > 0)) throw new BenchCheckError('no carousels: are the bundled collections loaded?');
  const pages = Math.max(1, Math.ceil(carousels.total / 10));
  const carouselPaths = Array.from({ length: pages }, (_, i) => `/api/discover/carousels?page=${i + 1}`);
  const load = await measureThroughput(baseUrl, carouselPaths, options.connections, options.duration);
  rows.push(
    throughputRow(
      `throughput: carousels, ${carousels.total} rows (${options.connections} conns, ${options.duration} s)`,
      load,
    ),
  );
  log(`throughput carousels: ${load.requestsPerSecond.toFixed(0)} req/s (${carousels.total} carousels)`);
}
