/**
 * Pairs title.episode's rows with their names from title.basics' episode lines while both
 * stream in, so that most names are staged with their episode instead of in a table of
 * their own (stage-aside.sqlite.ts). Both files come in tconst order, so the names an
 * episode batch needs are a window just ahead of the names read so far.
 *
 * A name is never lost: one passed over (its tconst comes before the episode being paired),
 * one left when the window is full, or any name once title.basics turns out unsorted, is
 * spilled, to be staged in imdb_episode_names, where the merge looks up every episode
 * staged without a name. Memory stays bounded by WINDOW names.
 */
import { type BasicsRow, compareImdbIds, type EpisodeNameRow, type FormatCounts } from './imdb-files.ts';

const WINDOW = 50_000;

export interface NameWindow {
  /** Reads names until the window reaches `lastKey` (or is full, or the names end). */
  fill(lastKey: string): Promise<void>;
  /** The name of episode `imdbId` if the window holds it, else null (looked up later). */
  take(imdbId: string): string | null;
  /** Names passed over since the last call, to stage on their own. */
  spilled(): EpisodeNameRow[];
  /** Every name not taken yet, the rest of the file included, batch by batch. */
  rest(): AsyncGenerator<EpisodeNameRow[]>;
  /** Whether the names came in tconst order so far (as FormatCounts.sorted). */
  readonly sorted: boolean;
  /** Stops reading the names (the pairing failed). */
  close(): void;
}

/** `batches`: title.basics' episode lines (readTsv's select); any other row is ignored. */
export function createNameWindow(batches: AsyncIterator<BasicsRow[]>, order: FormatCounts): NameWindow {
  let window: EpisodeNameRow[] = [];
  let at = 0;
  let ended = false;
  let passed: EpisodeNameRow[] = [];
  const before = (a: string, b: string) => compareImdbIds(a, b, order.keyOrder ?? 'text') < 0;
  const read = async () => {
    const next = await batches.next();
    if (next.done) {
      ended = true;
      return;
    }
    const names = next.value.filter(isEpisodeName);
    window = at < window.length ? [...window.slice(at), ...names] : names;
    at = 0;
  };
  return {
    get sorted() {
      return order.sorted;
    },
    async fill(lastKey) {
      while (!ended && window.length - at < WINDOW) {
        const last = window[window.length - 1];
        if (at < window.length && last && !before(last.imdbId, lastKey)) return;
        await read();
      }
    },
    take(imdbId) {
      while (at < window.length) {
        const name = window[at] as EpisodeNameRow;
        if (order.sorted && !before(name.imdbId, imdbId)) {
          if (name.imdbId !== imdbId) return null;
          at += 1;
          return name.displayName;
        }
        passed.push(name);
        at += 1;
      }
      return null;
    },
    spilled() {
      const names = passed;
      passed = [];
      return names;
    },
    close() {
      void batches.return?.();
    },
    async *rest() {
      const left = [...passed, ...window.slice(at)];
      passed = [];
      window = [];
      at = 0;
      if (left.length > 0) yield left;
      for (let next = await batches.next(); !next.done; next = await batches.next()) {
        yield next.value.filter(isEpisodeName);
      }
      ended = true;
    },
  };
}

function isEpisodeName(row: BasicsRow): row is EpisodeNameRow {
  return row.kind === 'episode';
}
