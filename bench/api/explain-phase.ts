/** --explain: the app's SQL for one request of each kind measured. */
import type { Database } from '../../server/db/sql-runner.ts';
import { explainRequests } from './explain.ts';
import { FILTERED, type Queries } from './queries.ts';
import { PER_PAGE } from './response-checks.ts';

type SearchExtra = { type?: 'movie' | 'show'; lang?: string; page?: number };

const search = (q: string, extra: SearchExtra = {}) => ({
  q,
  type: extra.type,
  lang: extra.lang,
  limit: PER_PAGE,
  offset: ((extra.page ?? 1) - 1) * PER_PAGE,
});

export function explainQueries(db: Database, queries: Queries) {
  const firstRare = [...queries.rare.expectations.values()][0]?.key ?? 'x';
  const uncachedKeys = [...queries.uncached.expectations.values()].map((e) => e.key);
  const midUncached = uncachedKeys[Math.floor(uncachedKeys.length / 2)] ?? 'x';
  const [fq, ftype, flang] = FILTERED[0] as [string, 'movie' | 'show', string];
  const showId = queries.shows[0] as number;
  return explainRequests(db, [
    { label: 'search q=the', run: (r) => r.titles.search(search('the')) },
    { label: 'search q=love', run: (r) => r.titles.search(search('love')) },
    {
      label: `search q=${midUncached} (a word of the uncached set)`,
      run: (r) => r.titles.search(search(midUncached)),
    },
    { label: `search q=${firstRare} (rare)`, run: (r) => r.titles.search(search(firstRare)) },
    { label: 'search q=th (prefix)', run: (r) => r.titles.search(search('th')) },
    {
      label: `search q=${fq}&type=${ftype}&lang=${flang}`,
      run: (r) => r.titles.search(search(fq, { type: ftype, lang: flang })),
    },
    { label: 'search q=the&page=50', run: (r) => r.titles.search(search('the', { page: 50 })) },
    {
      label: `show detail ${showId}`,
      run: async (r) => {
        await r.shows.findById(showId);
        await Promise.all([r.seasons.listByShow(showId), r.episodes.listByShow(showId)]);
      },
    },
  ]);
}
