/**
 * The benchmark's data set, deterministic from a seed: titles whose names are drawn from a
 * word list with a Zipf-like frequency (common words match many titles, the long tail few),
 * skewed votes and languages, and shows with seasons and episodes (about 1% of shows have
 * 200+ episodes; some of those exactly 200, for the show-detail measurement).
 *
 * Every row is a pure function of (seed, table, index), so each table can be generated in its
 * own pass (one COPY per table on PostgreSQL) and both dialects get identical data.
 */
import { searchKey } from '../../server/titles/search-key.ts';
import { type DiscoverFields, discoverFields, GENRES } from './data.discover.ts';

/** Real title words, roughly most frequent first. "the" and "of" are placed separately. */
const HEAD_WORDS = `love man night life day world girl house story time war last dead death black blood lost
king dark city little secret home game woman red family star heart boy dream out new good big road american fire
summer killer island first one two christmas blue white sea moon sun land legend wild angel devil queen ghost lady
murder street school golden power return rise fall end beyond hunter shadow eyes kiss money paradise journey
brother sister mother father daughter son children friends party music song dance hotel river mountain forest
winter spring storm rain snow ice sky space planet earth midnight morning evening tomorrow yesterday forever never
always whisper silence voice echo mirror window door garden kingdom empire crown sword battle soldier hero warrior
spy agent mission escape prison crime detective case files chronicles adventures tales legacy revenge justice
honor glory freedom truth lies fear hope faith desire passion romance wedding bride husband wife baby kids college
teacher doctor hospital police gang boss gold diamond treasure pirate ship train car plane highway desert jungle
ocean beach paris london tokyo york china india africa texas hollywood vegas moscow rome berlin mexico dragon wolf
tiger horse dog cat bird lion snake spider monster zombie vampire witch magic curse spirit soul heaven hell sin
saint god gods holy prayer miracle born living dying alive young old great high deep long short fast slow hard
sweet bitter cold hot silent final perfect last lucky crazy happy sad broken hidden forgotten fallen rising
burning flying running falling dancing singing killing hunting waiting wanting loving three four five seven ten
hundred thousand million zero number code game play show club team league cup race fight boxer champion kid
man women men girls boys people stranger strangers neighbor enemy friend lover lovers kings queens princess prince
knight lord master slave servant thief thieves outlaw sheriff cowboy indian samurai ninja robot machine future
past present history memory memories dreams nightmare sleep wake awakening dawn dusk light shadows darkness fire
flame smoke ash dust stone iron steel glass paper silver bronze crystal rose flower tree leaf garden apple cherry
amor noche vida mujer hombre ciudad nuit amour femme homme ville liebe nacht leben frau mann stadt koi ai yoru
hana sakura`.split(/\s+/);

/** Words that carry accents or folded letters; searchKey turns "Amélie" into "amelie". */
const ACCENTED_WORDS = `Amélie Café Señor Noël Mañana Über Déjà Crème Naïve Rêve Été Forêt Château Garçon São
Müller Straße Jalapeño Piñata Résumé Soirée Fiancée Cañón Côte Hôtel Élan Frère Mère Père Cœur Björk Åsa Øresund
Łódź Ærø Ça Mémoire Réveil Fête Île Être Über Schön Mädchen Grüße Niño Niña Corazón Canción Pájaro Árbol`.split(/\s+/);

const ONSETS = 'b c d f g h j k l m n p r s t v w z br cr dr gr tr st sh ch th kl pl fr sk'.split(' ');
const VOWELS = 'a e i o u a e i o ai ea ou io'.split(' ');
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'm', 'x', 'nd', 'rk'];

const LANGUAGES: [string | null, number][] = [
  ['en', 52],
  ['fr', 7],
  ['ja', 6],
  ['es', 6],
  ['de', 5],
  ['hi', 4],
  ['ko', 3],
  ['it', 3],
  ['zh', 2],
  ['pt', 2],
  ['ru', 2],
  ['sv', 1],
  ['tr', 1],
  ['ta', 1],
  ['nl', 1],
  ['pl', 1],
  [null, 3],
];

const VOCABULARY_SIZE = 40_000;
/** Zipf–Mandelbrot: weight of rank k is 1 / (k + ZIPF_Q)^ZIPF_S. */
const ZIPF_S = 1.2;
const ZIPF_Q = 10;

// --- deterministic pseudo-random numbers -------------------------------------------------

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Random = () => number;

/** mulberry32: a small, fast PRNG; each row gets its own stream seeded from (seed, table, index). */
export function rng(seed: number, stream: number, index: number): Random {
  let state = mix32(seed ^ mix32(Math.imul(stream, 0x9e3779b1) ^ mix32(index + 0x632be5ab)));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const STREAM = { vocabulary: 1, kind: 2, title: 3, plan: 4, season: 5, discover: 6 } as const;

function pickWeighted<T>(random: Random, table: [T, number][], total: number): T {
  let u = random() * total;
  for (const [value, weight] of table) {
    u -= weight;
    if (u < 0) return value;
  }
  return (table[table.length - 1] as [T, number])[0];
}

// --- rows ----------------------------------------------------------------------------------

export interface TitleRow extends DiscoverFields {
  id: number;
  type: 'movie' | 'show';
  displayName: string;
  searchName: string;
  startYear: number;
  endYear: number | null;
  imdbId: string;
  imageUrl: string | null;
  numVotes: number | null;
  averageRating: number | null;
  originalLanguage: string | null;
  runtimeMinutes: number | null;
  needsBackfillTmdb: boolean;
}

export interface KindRow {
  id: number;
  titleId: number;
}

export interface SeasonRow {
  id: number;
  showId: number;
  season: number;
}

export interface GenreRow {
  id: number;
  name: string;
}

export interface TitleGenreRow {
  titleId: number;
  genreId: number;
}

export interface EpisodeRow {
  id: number;
  seasonId: number;
  episode: number;
  displayName: string;
  synopsis: string | null;
  airDate: string;
  runtimeMinutes: number;
}

/** Episodes per season, in season order (season numbers start at 1). */
type ShowPlan = number[];

export interface Dataset {
  readonly seed: number;
  readonly titleCount: number;
  readonly movieCount: number;
  readonly showCount: number;
  readonly seasonCount: number;
  readonly episodeCount: number;
  /** shows.id of every show with exactly 200 episodes. */
  readonly showsWith200Episodes: number[];
  /** Content words by frequency rank (0 = most frequent). */
  readonly vocabulary: readonly string[];
  titles(): Generator<TitleRow>;
  movies(): Generator<KindRow>;
  shows(): Generator<KindRow>;
  seasons(): Generator<SeasonRow>;
  episodes(): Generator<EpisodeRow>;
  genres(): GenreRow[];
  titleGenres(): Generator<TitleGenreRow>;
}

function buildVocabulary(seed: number): string[] {
  const words: string[] = [];
  const seen = new Set<string>(['the', 'of']);
  for (const word of HEAD_WORDS) {
    if (word && !seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  // The long tail: invented words, like the names and rare words of real titles.
  const random = rng(seed, STREAM.vocabulary, 0);
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] as string;
  while (words.length < VOCABULARY_SIZE) {
    const syllables = 1 + Math.floor(random() * 2.6);
    let word = '';
    for (let i = 0; i < syllables; i++) word += pick(ONSETS) + pick(VOWELS);
    word += pick(CODAS);
    if (word.length >= 4 && !seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

function zipfSampler(size: number): (random: Random) => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let k = 0; k < size; k++) {
    total += 1 / (k + 1 + ZIPF_Q) ** ZIPF_S;
    cumulative[k] = total;
  }
  return (random) => {
    const u = random() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const ACCENT_FOR: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü', n: 'ñ', c: 'ç' };

function accentuate(word: string, random: Random): string {
  const positions = [...word].flatMap((ch, i) => (ACCENT_FOR[ch.toLowerCase()] ? [i] : []));
  if (positions.length === 0) return word;
  const at = positions[Math.floor(random() * positions.length)] as number;
  const ch = word[at] as string;
  const accented = ACCENT_FOR[ch.toLowerCase()] as string;
  return word.slice(0, at) + (ch === ch.toUpperCase() ? accented.toUpperCase() : accented) + word.slice(at + 1);
}

const two = (n: number) => String(n).padStart(2, '0');

export function createDataset(titleCount: number, seed = 20_240_601): Dataset {
  const vocabulary = buildVocabulary(seed);
  const zipf = zipfSampler(vocabulary.length);
  const languageTotal = LANGUAGES.reduce((sum, [, w]) => sum + w, 0);
  const wordCounts: [number, number][] = [
    [1, 22],
    [2, 36],
    [3, 25],
    [4, 11],
    [5, 6],
  ];

  const isShow = (titleId: number) => rng(seed, STREAM.kind, titleId)() < 0.3;

  const titleName = (random: Random) => {
    const count = pickWeighted(random, wordCounts, 100);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(capitalize(vocabulary[zipf(random)] as string));
    if (count >= 3 && random() < 0.15) words.splice(1, 0, random() < 0.5 ? 'of the' : 'of');
    if (random() < 0.18) words.unshift('The');
    const accent = random();
    if (accent < 0.015) {
      words[Math.floor(random() * words.length)] = ACCENTED_WORDS[
        Math.floor(random() * ACCENTED_WORDS.length)
      ] as string;
    } else if (accent < 0.035) {
      const at = Math.floor(random() * words.length);
      words[at] = accentuate(words[at] as string, random);
    }
    return words.join(' ');
  };

  const title = (id: number): TitleRow => {
    const random = rng(seed, STREAM.title, id);
    const type = isShow(id) ? 'show' : 'movie';
    const displayName = titleName(random);
    const startYear = 2025 - Math.floor(random() ** 2 * 105);
    const voted = random() >= 0.15;
    // Pareto-like: median around a dozen votes, a handful of titles in the millions.
    const numVotes = voted ? Math.min(3_000_000, Math.floor(5 / (1 - random()) ** 1.35)) : null;
    const rating = voted ? Math.min(10, Math.max(1, 3 + random() * 5 + random() * 2)) : null;
    // The draws stay in the order the search data set was made with.
    const row: Omit<TitleRow, keyof DiscoverFields> = {
      id,
      type,
      displayName,
      searchName: searchKey(displayName),
      startYear,
      endYear: type === 'show' && random() < 0.6 ? Math.min(2025, startYear + Math.floor(random() * 15)) : null,
      imdbId: `tt${String(1_000_000 + id * 3).padStart(7, '0')}`,
      imageUrl:
        random() < 0.6
          ? `https://image.tmdb.org/t/p/w500/${Math.floor(random() * 2 ** 52).toString(36)}${id.toString(36)}.jpg`
          : null,
      numVotes,
      averageRating: rating === null ? null : Math.round(rating * 10) / 10,
      originalLanguage: pickWeighted(random, LANGUAGES, languageTotal),
      runtimeMinutes: type === 'movie' ? 70 + Math.floor(random() * 90) : 20 + Math.floor(random() * 40),
      needsBackfillTmdb: random() < 0.1,
    };
    return { ...row, ...discoverFields(rng(seed, STREAM.discover, id), row) };
  };

  const plan = (showId: number): ShowPlan => {
    const random = rng(seed, STREAM.plan, showId);
    const u = random();
    if (u < 0.004) return Array.from({ length: 10 }, () => 20); // exactly 200 episodes
    if (u < 0.01) {
      const seasons = 10 + Math.floor(random() * 16);
      return Array.from({ length: seasons }, () => 20 + Math.floor(random() * 11));
    }
    if (u < 0.3) return []; // no episode data, as for many real shows
    const seasons = Math.min(8, 1 + Math.floor(-Math.log(1 - random()) * 0.8));
    return Array.from({ length: seasons }, () => 1 + Math.floor(random() * 6));
  };

  // One cheap pass for the counts the caller wants up front.
  let movieCount = 0;
  let showCount = 0;
  for (let id = 1; id <= titleCount; id++) {
    if (isShow(id)) showCount++;
    else movieCount++;
  }
  let seasonCount = 0;
  let episodeCount = 0;
  const showsWith200Episodes: number[] = [];
  for (let showId = 1; showId <= showCount; showId++) {
    const seasons = plan(showId);
    seasonCount += seasons.length;
    const episodes = seasons.reduce((sum, n) => sum + n, 0);
    episodeCount += episodes;
    if (episodes === 200) showsWith200Episodes.push(showId);
  }

  function* kinds(show: boolean): Generator<KindRow> {
    let id = 0;
    for (let titleId = 1; titleId <= titleCount; titleId++) {
      if (isShow(titleId) === show) yield { id: ++id, titleId };
    }
  }

  function* walkSeasons(): Generator<{ season: SeasonRow; episodes: number }> {
    let id = 0;
    for (let showId = 1; showId <= showCount; showId++) {
      const seasons = plan(showId);
      for (let i = 0; i < seasons.length; i++) {
        yield { season: { id: ++id, showId, season: i + 1 }, episodes: seasons[i] as number };
      }
    }
  }

  return {
    seed,
    titleCount,
    movieCount,
    showCount,
    seasonCount,
    episodeCount,
    showsWith200Episodes,
    vocabulary,
    *titles() {
      for (let id = 1; id <= titleCount; id++) yield title(id);
    },
    genres: () => GENRES.map(([name], i) => ({ id: i + 1, name })),
    *titleGenres() {
      for (let id = 1; id <= titleCount; id++) {
        for (const genreId of title(id).genreIds) yield { titleId: id, genreId };
      }
    },
    movies: () => kinds(false),
    shows: () => kinds(true),
    *seasons() {
      for (const { season } of walkSeasons()) yield season;
    },
    *episodes() {
      let id = 0;
      for (const { season, episodes } of walkSeasons()) {
        const random = rng(seed, STREAM.season, season.id);
        const year = 1960 + Math.floor(random() * 64);
        const runtime = 20 + Math.floor(random() * 40);
        for (let episode = 1; episode <= episodes; episode++) {
          let synopsis: string | null = null;
          if (random() < 0.5) {
            const words = 8 + Math.floor(random() * 14);
            const parts: string[] = [];
            for (let i = 0; i < words; i++) parts.push(vocabulary[zipf(random)] as string);
            synopsis = `${capitalize(parts.join(' '))}.`;
          }
          yield {
            id: ++id,
            seasonId: season.id,
            episode,
            displayName: `Episode #${season.season}.${episode}`,
            synopsis,
            airDate: `${Math.min(2025, year + season.season - 1)}-${two(1 + Math.floor(random() * 12))}-${two(1 + Math.floor(random() * 28))}`,
            runtimeMinutes: runtime,
          };
        }
      }
    },
  };
}
