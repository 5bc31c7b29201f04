/**
 * /discover: carousels (the same in-memory build as GET /api/discover/carousels), filter
 * chips for genre, country and type, a sort selector, and the filtered grid from the same
 * repository and query schema as GET /api/discover.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { GenresRepository } from '../genres/genres.repository.ts';
import { paths, type QueryValues } from '../http/page-routes.ts';
import { intParam, MAX_RESULT_WINDOW, parseQuery } from '../http/validation.ts';
import type { Views } from '../http/views.ts';
import type { CarouselCache } from './carousels.ts';
import { discoverTitleJson } from './discover.json.ts';
import type { DiscoverFilter, DiscoverRepository } from './discover.repository.ts';
import { DISCOVER_SORTS, type DiscoverSort, discoverQuery } from './discover.schemas.ts';

export const DISCOVER_PER_PAGE = 48;
/** Carousel rows per page: all of them at once would be a megabyte of HTML at 1M titles. */
export const CAROUSEL_ROWS = 8;

// The page's own parameter: which set of carousel rows (the API pages them with page/per_page).
const rowsQuery = z.object({
  rows: z.preprocess((v) => (v === '' ? undefined : v), intParam(1, 1000)).transform((n) => n ?? 1),
});
/**
 * The first carousel build reads every collection (tens of seconds at 1M titles): a view
 * waits this long for it, then shows the grid alone; the build goes on for the next view.
 */
const CAROUSEL_WAIT_MS = 250;
// Counting titles per genre reads every genre link: done once in a while, not per view.
const GENRES_TTL_MS = 10 * 60 * 1000;

export const SORT_LABELS: Record<DiscoverSort, string> = {
  most_rated: 'Most rated',
  trending: 'Trending',
  popular: 'Popular here',
  top_rated: 'Top rated',
  newest: 'Newest',
  hidden_gems: 'Hidden gems',
  'a-z': 'A–Z',
};

/** Origin countries offered as chips (TMDB fills origin_country); any other code works in the URL. */
export const COUNTRY_CHIPS = ['US', 'GB', 'FR', 'DE', 'IT', 'ES', 'JP', 'KR', 'IN', 'CA', 'AU', 'BR', 'MX', 'SE'];

export interface DiscoverPagesDeps {
  discover: DiscoverRepository;
  carousels: CarouselCache;
  genres: Pick<GenresRepository, 'list'>;
  views: Views;
}

/** The promise's value if it settles within `ms`, else null; a failure is null too (the grid still shows). */
function withinBudget<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
    timer.unref();
  });
  return Promise.race([promise.catch(() => null), timeout]).finally(() => clearTimeout(timer));
}

function genreNamesCache(genres: DiscoverPagesDeps['genres']) {
  let cached: { names: string[]; at: number } | null = null;
  return async () => {
    if (!cached || Date.now() - cached.at > GENRES_TTL_MS) {
      const list = await genres.list();
      cached = { names: list.filter((g) => g.title_count > 0).map((g) => g.name), at: Date.now() };
    }
    return cached.names;
  };
}

/** Everything in the URL but the page, as the links keep it (sort and limit only when chosen). */
function linkQuery(c: Context, filter: DiscoverFilter, limit: number): QueryValues {
  return {
    genre: filter.genre,
    type: filter.type,
    lang: filter.lang,
    country: filter.country,
    year_min: filter.year_min,
    rating_min: filter.rating_min,
    min_votes: filter.min_votes,
    has_image: filter.has_image,
    sort: c.req.query('sort') ? filter.sort : undefined,
    limit: c.req.query('limit') ? limit : undefined,
  };
}

/** The chip rows: each chip a link to the current filter with one value changed. */
function chipsFor(filter: DiscoverFilter, href: (change: QueryValues) => string, genreList: string[]) {
  return {
    genreChips: [
      { label: 'Any', href: href({ genre: undefined }), current: !filter.genre },
      ...genreList.map((name) => ({
        label: name,
        href: href({ genre: name }),
        current: filter.genre?.toLowerCase() === name.toLowerCase(),
      })),
    ],
    countryChips: [
      { label: 'Any', href: href({ country: undefined }), current: !filter.country },
      ...COUNTRY_CHIPS.map((code) => ({
        label: code,
        href: href({ country: code }),
        current: filter.country === code,
      })),
    ],
    typeChips: [
      { label: 'All', href: href({ type: undefined }), current: !filter.type },
      { label: 'Movies', href: href({ type: 'movie' }), current: filter.type === 'movie' },
      { label: 'Shows', href: href({ type: 'show' }), current: filter.type === 'show' },
    ],
  };
}

export function registerDiscoverPages(app: Hono, { discover, carousels, genres, views }: DiscoverPagesDeps) {
  const genreNames = genreNamesCache(genres);

  app.get('/discover', async (c) => {
    const query = parseQuery(c, discoverQuery);
    const { rows } = parseQuery(c, rowsQuery);
    const { page, limit: _limit, ...filter } = query;
    const limit = c.req.query('limit') ? query.limit : DISCOVER_PER_PAGE;
    const current = linkQuery(c, filter, limit);
    const filtered = Object.entries(current).some(
      ([key, value]) => key !== 'limit' && value !== undefined && value !== false,
    );
    const [result, build, genreList] = await Promise.all([
      discover.find(filter, limit, (page - 1) * limit),
      filtered || page > 1 ? null : withinBudget(carousels.current(), CAROUSEL_WAIT_MS),
      genreNames(),
    ]);
    // The schema refuses pages past the result window (measured in the API's page size).
    const totalPages = Math.min(
      Math.ceil(result.total / limit),
      Math.max(1, Math.floor(MAX_RESULT_WINDOW / query.limit)),
    );
    const href = (change: QueryValues) => paths.discover({ ...current, ...change, page: undefined });
    return views.render(c, 'discover/index', {
      section: 'discover',
      title: 'Discover',
      filter,
      filtered,
      hidden: Object.entries(current).filter(
        ([key, value]) => !['genre', 'type', 'country', 'sort'].includes(key) && value !== undefined && value !== false,
      ),
      carousels: (build?.carousels ?? [])
        .slice((rows - 1) * CAROUSEL_ROWS, rows * CAROUSEL_ROWS)
        .map((carousel) => ({ ...carousel, titles: carousel.titles.map(discoverTitleJson) })),
      moreRowsHref:
        build && build.carousels.length > rows * CAROUSEL_ROWS ? `${paths.discover({ rows: rows + 1 })}#rows` : null,
      fewerRowsHref: build && rows > 1 ? `${paths.discover({ rows: rows > 2 ? rows - 1 : undefined })}#rows` : null,
      titles: result.titles.map(discoverTitleJson),
      total: result.total,
      page,
      totalPages,
      capped: result.total > totalPages * limit,
      sorts: DISCOVER_SORTS.map((value) => ({ value, label: SORT_LABELS[value] })),
      ...chipsFor(filter, href, genreList),
      clearHref: paths.discover(),
      pageHref: (n: number) => paths.discover({ ...current, page: n }),
    });
  });
}
