/** The search queries and shows measured, each checked on the live server to be what it claims. */
import { searchKey, searchMode } from '../../server/titles/search-key.ts';
import { type Dataset, rng } from './data.ts';
import { BenchCheckError, getJson } from './measure.ts';
import { checkSearch, PER_PAGE, type SearchExpectation, searchPath } from './response-checks.ts';

export const COMMON_WORDS = ['the', 'love', 'man', 'night', 'life', 'world', 'girl', 'house', 'war', 'day'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const PREFIXES = ['th', 'lo', 'ma', 'ni', 'ka', 'be', 'mo', 'sa', 'da', 're'];
export const FILTERED: [string, 'movie' | 'show', string][] = [
  ['love', 'movie', 'fr'],
  ['man', 'show', 'ja'],
  ['night', 'movie', 'en'],
  ['world', 'show', 'es'],
  ['girl', 'movie', 'de'],
  ['life', 'show', 'en'],
  ['house', 'movie', 'hi'],
  ['day', 'show', 'ko'],
];
const RARE_WANTED = 20;
const RARE_MAX_MATCHES = 50;

export interface QuerySet {
  label: string;
  paths: string[];
  expectations: Map<string, SearchExpectation>;
}

type QueryEntry = { path: string; expect: SearchExpectation };

function querySet(label: string, entries: QueryEntry[]): QuerySet {
  return { label, paths: entries.map((e) => e.path), expectations: new Map(entries.map((e) => [e.path, e.expect])) };
}

const substring = (q: string, extra: Partial<SearchExpectation> = {}): SearchExpectation => ({
  key: searchKey(q),
  mode: searchMode(searchKey(q)),
  page: 1,
  ...extra,
});

const plainQuery = (q: string): QueryEntry => ({ path: searchPath(q), expect: substring(q) });

async function probeTotal(baseUrl: string, path: string, expect: SearchExpectation) {
  return checkSearch(await getJson(baseUrl, path), path, expect);
}

/**
 * Rare: words from the tail of the frequency list that match a few titles (never one of the
 * head words kept for the uncached set).
 */
async function chooseRare(baseUrl: string, data: Dataset, uncachedCount: number, totals: Map<string, number>) {
  const rareEntries: QueryEntry[] = [];
  const vocabulary = data.vocabulary;
  for (
    let rank = vocabulary.length - 1;
    rank >= uncachedCount + COMMON_WORDS.length && rareEntries.length < RARE_WANTED;
    rank = Math.floor(rank * 0.93)
  ) {
    for (const r of [rank, rank - 1, rank - 2]) {
      const word = vocabulary[r] as string;
      const path = searchPath(word);
      const expect = substring(word);
      const total = await probeTotal(baseUrl, path, expect);
      if (total >= 1 && total <= RARE_MAX_MATCHES && rareEntries.length < RARE_WANTED) {
        rareEntries.push({ path, expect });
        totals.set(expect.key, total);
      }
    }
  }
  if (rareEntries.length < 5) throw new BenchCheckError(`only ${rareEntries.length} rare words with 1–50 matches`);
  return rareEntries;
}

async function chooseFiltered(baseUrl: string) {
  const filteredEntries: QueryEntry[] = [];
  for (const [q, type, lang] of FILTERED) {
    const path = searchPath(q, { type, lang });
    const expect = substring(q, { type, lang });
    if ((await probeTotal(baseUrl, path, expect)) > 0) filteredEntries.push({ path, expect });
  }
  if (filteredEntries.length === 0) throw new BenchCheckError('no type+lang filtered query has any match');
  return filteredEntries;
}

function chooseDeep(totals: Map<string, number>) {
  const deepEntries = COMMON_WORDS.filter((q) => (totals.get(q) ?? 0) > 49 * PER_PAGE).map((q) => ({
    path: searchPath(q, { page: 50 }),
    expect: substring(q, { page: 50 }),
  }));
  if (deepEntries.length === 0) throw new BenchCheckError('no common word has 50 pages of results; use more --titles');
  return deepEntries;
}

/** 2-character prefixes not among PREFIXES: letter pairs in a seeded order. */
function uncachedPrefixes(data: Dataset, uncachedCount: number) {
  const random = rng(data.seed, 99, 0);
  const pairs = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b)).filter((p) => !PREFIXES.includes(p));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j] as string, pairs[i] as string];
  }
  return pairs.slice(0, uncachedCount);
}

/** Picks the queries of each kind, checking on the live server that each is what it claims. */
export async function chooseQueries(
  baseUrl: string,
  data: Dataset,
  uncachedCount: number,
  log: (line: string) => void,
) {
  const common = querySet('common one-word', COMMON_WORDS.map(plainQuery));
  const totals = new Map<string, number>();
  for (const [path, expect] of common.expectations) {
    totals.set(expect.key, await probeTotal(baseUrl, path, expect));
  }
  const rareEntries = await chooseRare(baseUrl, data, uncachedCount, totals);
  const rare = querySet('rare word', rareEntries);
  const prefix = querySet('2-char prefix', PREFIXES.map(plainQuery));
  const filtered = querySet('type+lang filter', await chooseFiltered(baseUrl));
  const deepEntries = chooseDeep(totals);
  const deep = querySet('page 50', deepEntries);

  const shows = data.showsWith200Episodes.slice(0, 50);
  if (shows.length === 0) throw new BenchCheckError('no show with exactly 200 episodes; use more --titles');

  log(
    `queries: common ${COMMON_WORDS.map((q) => `${q}=${totals.get(q)}`).join(' ')}; ` +
      `rare ${rareEntries.length} words (${rareEntries.map((e) => totals.get(e.expect.key)).join(',')} matches); ` +
      `page 50 of ${deepEntries.map((e) => e.expect.key).join(',')}; ${shows.length} shows with 200 episodes`,
  );
  // Uncached: the next most frequent words, each asked once (never probed), so the app's own
  // caches cannot answer them; they still match hundreds to tens of thousands of titles.
  const uncachedWords = data.vocabulary.filter((word) => !COMMON_WORDS.includes(word)).slice(0, uncachedCount);
  const uncached = querySet('common, each query new', uncachedWords.map(plainQuery));
  // The same for 2-character prefixes, each asked once.
  const uncachedPrefix = querySet(
    '2-char prefix, each query new',
    uncachedPrefixes(data, uncachedCount).map(plainQuery),
  );
  return { common, uncached, rare, prefix, uncachedPrefix, filtered, deep, shows, totals };
}

export type Queries = Awaited<ReturnType<typeof chooseQueries>>;
