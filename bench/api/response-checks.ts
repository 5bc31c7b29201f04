/** Checks that each answer measured is the right one: a fast wrong answer must not count. */
import { type SearchMode, searchKey } from '../../server/titles/search-key.ts';
import { BenchCheckError } from './measure.ts';

interface SearchBody {
  titles: { title_id: number; type: string; display_name: string; original_language?: string }[];
  total: number;
  page: number;
  per_page: number;
}

export interface SearchExpectation {
  key: string;
  mode: SearchMode;
  type?: string;
  lang?: string;
  page: number;
}

export const PER_PAGE = 100;

export function searchPath(q: string, extra: { type?: string; lang?: string; page?: number } = {}) {
  const params = new URLSearchParams({ q });
  if (extra.type) params.set('type', extra.type);
  if (extra.lang) params.set('lang', extra.lang);
  if (extra.page) params.set('page', String(extra.page));
  return `/api/titles?${params}`;
}

/** Throws unless the body is a search answer consistent with the request; returns its total. */
export function checkSearch(body: unknown, path: string, expect: SearchExpectation): number {
  const fail = (why: string): never => {
    throw new BenchCheckError(`GET ${path}: ${why}`);
  };
  const b = body as SearchBody;
  if (!b || !Array.isArray(b.titles) || typeof b.total !== 'number') fail('not a search answer');
  if (b.page !== expect.page || b.per_page !== PER_PAGE) fail(`page ${b.page}/per_page ${b.per_page}`);
  const expected = Math.max(0, Math.min(PER_PAGE, b.total - (expect.page - 1) * PER_PAGE));
  if (b.titles.length !== expected) fail(`${b.titles.length} titles on the page, total ${b.total}`);
  for (const t of b.titles) {
    const key = searchKey(t.display_name ?? '');
    if (expect.mode === 'substring' ? !key.includes(expect.key) : !key.startsWith(expect.key)) {
      fail(`"${t.display_name}" does not match ${JSON.stringify(expect.key)}`);
    }
    if (expect.type && t.type !== expect.type) fail(`title ${t.title_id} has type ${t.type}`);
    if (expect.lang && t.original_language !== expect.lang)
      fail(`title ${t.title_id} has language ${t.original_language}`);
  }
  return b.total;
}

interface ShowBody {
  show_id: number;
  seasons: { episodes?: unknown[] }[];
}

export function checkShow(body: unknown, path: string, showId: number, episodes: number): number {
  const b = body as ShowBody;
  const count = Array.isArray(b?.seasons) ? b.seasons.reduce((sum, s) => sum + (s.episodes?.length ?? 0), 0) : -1;
  if (b?.show_id !== showId || count !== episodes) {
    throw new BenchCheckError(`GET ${path}: show ${b?.show_id} with ${count} episodes, expected ${episodes}`);
  }
  return count;
}
