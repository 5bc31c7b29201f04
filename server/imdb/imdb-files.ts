/**
 * The three IMDb dataset files this import reads, their rows, and how each line becomes a
 * row: type mapping, null handling and validation happen here, in JS, while streaming, so
 * the database only ever sees rows it can store (a bad value would abort a whole COPY).
 */
import { searchKey } from '../titles/search-key.ts';
import { MALFORMED, type TsvFormat } from './tsv.ts';

export const IMDB_FILES = {
  basics: 'title.basics.tsv.gz',
  episodes: 'title.episode.tsv.gz',
  ratings: 'title.ratings.tsv.gz',
} as const;

export type ImdbFile = keyof typeof IMDB_FILES;

export type TitleKind = 'movie' | 'show' | 'episode';

/**
 * title.basics' episode lines (three in four): with two threads staging, one reads only
 * these (the episodes' names) and the other every other line (readTsv's `select`).
 */
export const EPISODE_LINES = { column: 'titleType', value: 'tvEpisode' } as const;

// Everything else (short, video, tvSpecial, videoGame, ...) is not part of the catalogue.
const KIND_OF_TYPE: Readonly<Record<string, TitleKind>> = {
  movie: 'movie',
  tvMovie: 'movie',
  tvSeries: 'show',
  tvMiniSeries: 'show',
  tvEpisode: 'episode',
};

export function kindOf(titleType: string | null): TitleKind | null {
  return titleType !== null && Object.hasOwn(KIND_OF_TYPE, titleType) ? (KIND_OF_TYPE[titleType] ?? null) : null;
}

export interface CatalogueTitleRow {
  kind: 'movie' | 'show';
  imdbId: string;
  displayName: string;
  originalTitle: string | null;
  startYear: number | null;
  endYear: number | null;
  runtimeMinutes: number | null;
  searchName: string;
  genres: string[];
}

/** Episodes only need their name from title.basics; title.episode places them. */
export interface EpisodeNameRow {
  kind: 'episode';
  imdbId: string;
  displayName: string | null;
}

export type BasicsRow = CatalogueTitleRow | EpisodeNameRow;

export interface EpisodeRow {
  imdbId: string;
  parentImdbId: string;
  season: number;
  episode: number;
}

export interface RatingRow {
  imdbId: string;
  averageRating: number;
  numVotes: number;
}

/** Lines a format read but did not turn into rows, by reason (bad lines are in TsvReport). */
export interface FormatCounts {
  /** Title types outside the catalogue (short, video, ...). */
  ignoredType: number;
  /** A tconst equal to the line before it. */
  duplicates: number;
  nullSeasonOrEpisode: number;
  /** Episode lines whose parentTconst is `\N`. */
  unknownParent: number;
  /**
   * Whether tconsts came in strictly increasing order (by number or as text, see KeyOrder).
   * Only then is the file known to hold no duplicates; otherwise staging removes them in
   * the database.
   */
  sorted: boolean;
  /** The order the tconsts came in so far: both hold until keys of two lengths meet. */
  keyOrder: KeyOrder | null;
  /** Which orders the tconsts came in so far (keyOrder prefers 'number' where both hold). */
  inOrder: Record<KeyOrder, boolean>;
}

/**
 * How a file orders its tconsts: by number (tt9999999 before tt10000000), as generated
 * datasets do, or as text (tt10000000 before tt9999999), as IMDb's own exports do.
 */
export type KeyOrder = 'number' | 'text';

export type CountedFormat<Row> = TsvFormat<Row> & { counts: FormatCounts };

// Column sizes of the live tables (varchar(500), varchar(50), varchar(20)).
const NAME_LENGTH = 500;
const GENRE_LENGTH = 50;
const IMDB_ID = /^tt\d{1,16}$/;
const INTEGER = /^-?\d{1,9}$/;
const RATING = /^\d{1,2}(\.\d)?$/;

export function basicsFormat(): CountedFormat<BasicsRow> {
  const order = createOrderCheck();
  const counts = order.counts;
  return {
    counts,
    columns: [
      'tconst',
      'titleType',
      'primaryTitle',
      'originalTitle',
      'startYear',
      'endYear',
      'runtimeMinutes',
      'genres',
    ],
    // Episodes are three lines in four: their name is all they need, so it is read first.
    toRow(field) {
      const tconst = field(0);
      if (!isImdbId(tconst)) return MALFORMED;
      const kind = kindOf(field(1));
      if (kind === null) {
        counts.ignoredType += 1;
        return null;
      }
      if (!order.accept(tconst)) return null;
      const primaryTitle = field(2);
      if (kind === 'episode') return { kind, imdbId: tconst, displayName: clip(primaryTitle) };
      const originalTitle = field(3);
      const years = [integer(field(4)), integer(field(5)), integer(field(6))] as const;
      const genres = genreNames(field(7));
      if (years.includes(MALFORMED) || genres === MALFORMED) return MALFORMED;
      // display_name is NOT NULL: real rows may have `\N` in every column but the id.
      const displayName = clip(primaryTitle ?? originalTitle ?? tconst) as string;
      return {
        kind,
        imdbId: tconst,
        displayName,
        originalTitle: clip(originalTitle),
        startYear: years[0] as number | null,
        endYear: years[1] as number | null,
        runtimeMinutes: years[2] as number | null,
        searchName: searchKey(displayName),
        genres,
      };
    },
  };
}

export function episodesFormat(): CountedFormat<EpisodeRow> {
  const order = createOrderCheck();
  const counts = order.counts;
  return {
    counts,
    columns: ['tconst', 'parentTconst', 'seasonNumber', 'episodeNumber'],
    toRow(field) {
      const [tconst, parent] = [field(0), field(1)];
      if (!isImdbId(tconst)) return MALFORMED;
      const season = integer(field(2));
      const episode = integer(field(3));
      if (season === MALFORMED || episode === MALFORMED || (parent != null && !isImdbId(parent))) return MALFORMED;
      if (parent == null) {
        counts.unknownParent += 1;
        return null;
      }
      // Seasons and episodes are NOT NULL in the schema: an episode IMDb has not placed
      // cannot be stored, so it is skipped and counted (both real and common).
      if (season === null || episode === null) {
        counts.nullSeasonOrEpisode += 1;
        return null;
      }
      if (!order.accept(tconst)) return null;
      return { imdbId: tconst, parentImdbId: parent, season, episode };
    },
  };
}

export function ratingsFormat(): CountedFormat<RatingRow> {
  const order = createOrderCheck();
  return {
    counts: order.counts,
    columns: ['tconst', 'averageRating', 'numVotes'],
    toRow(field) {
      const [tconst, rating, votes] = [field(0), field(1), field(2)];
      if (!isImdbId(tconst) || rating == null || votes == null || !RATING.test(rating)) return MALFORMED;
      const averageRating = Number(rating);
      const numVotes = integer(votes);
      if (averageRating > 10 || numVotes === MALFORMED || numVotes === null || numVotes < 0) return MALFORMED;
      if (!order.accept(tconst)) return null;
      return { imdbId: tconst, averageRating, numVotes };
    },
  };
}

/** Orders two tconsts by number (the default) or as text. */
export function compareImdbIds(a: string, b: string, order: KeyOrder = 'number'): number {
  if (order === 'number' && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A format's counts before its first line: nothing skipped, in order so far. */
export function freshCounts(): FormatCounts {
  return {
    ignoredType: 0,
    duplicates: 0,
    nullSeasonOrEpisode: 0,
    unknownParent: 0,
    sorted: true,
    keyOrder: 'number',
    inOrder: { number: true, text: true },
  };
}

/** The order to record of those a file's tconsts came in: by number where both hold. */
export function preferredOrder(inOrder: Record<KeyOrder, boolean>): KeyOrder | null {
  return inOrder.number ? 'number' : inOrder.text ? 'text' : null;
}

function createOrderCheck() {
  const counts = freshCounts();
  const { inOrder } = counts;
  let previous: string | null = null;
  return {
    counts,
    /** False for a repeat of the previous tconst, which is dropped and counted. */
    accept(imdbId: string): boolean {
      if (previous !== null) {
        if (imdbId === previous) {
          counts.duplicates += 1;
          return false;
        }
        inOrder.number &&= compareImdbIds(imdbId, previous, 'number') > 0;
        inOrder.text &&= imdbId > previous;
        counts.sorted = inOrder.number || inOrder.text;
        counts.keyOrder = preferredOrder(inOrder);
      }
      previous = imdbId;
      return true;
    },
  };
}

function isImdbId(value: string | null | undefined): value is string {
  return value != null && IMDB_ID.test(value);
}

function integer(value: string | null | undefined): number | null | typeof MALFORMED {
  if (value == null) return null;
  return INTEGER.test(value) ? Number(value) : MALFORMED;
}

function genreNames(list: string | null): string[] | typeof MALFORMED {
  if (list === null) return [];
  const names = [...new Set(list.split(',').filter((name) => name !== ''))];
  return names.some((name) => name.length > GENRE_LENGTH) ? MALFORMED : names;
}

// varchar(500) counts characters; slicing by code points never splits a surrogate pair.
function clip(text: string | null): string | null {
  if (text === null || text.length <= NAME_LENGTH) return text;
  return [...text].slice(0, NAME_LENGTH).join('');
}
