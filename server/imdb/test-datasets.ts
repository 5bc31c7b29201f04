/**
 * Small IMDb-format datasets for tests, written from inline lines: each file gets IMDb's
 * header and is gzipped like the real export. Lines are raw TSV, so a test can also write
 * the broken ones real exports contain.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { IMDB_FILES, type ImdbFile } from './imdb-files.ts';

export const HEADERS: Record<ImdbFile, string> = {
  basics: 'tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres',
  episodes: 'tconst\tparentTconst\tseasonNumber\tepisodeNumber',
  ratings: 'tconst\taverageRating\tnumVotes',
};

const N = '\\N';

export interface BasicsFields {
  original?: string | null;
  start?: number | null;
  end?: number | null;
  runtime?: number | null;
  genres?: string | null;
}

/** One title.basics line; fields left out are `\N` (original title defaults to the title). */
export function basicsLine(tconst: string, titleType: string, title: string, fields: BasicsFields = {}): string {
  const value = (v: string | number | null | undefined) => (v === null || v === undefined ? N : String(v));
  const original = fields.original === undefined ? title : fields.original;
  return [tconst, titleType, title, value(original), '0', value(fields.start), value(fields.end)]
    .concat([value(fields.runtime), value(fields.genres)])
    .join('\t');
}

export function episodeLine(tconst: string, parent: string, season: number | null, episode: number | null): string {
  return [tconst, parent, season ?? N, episode ?? N].join('\t');
}

export function ratingLine(tconst: string, rating: string, votes: number): string {
  return [tconst, rating, votes].join('\t');
}

export type DatasetLines = Record<ImdbFile, string[]>;

/** Writes the three files into `dir` (replacing earlier ones) and returns their paths. */
export async function writeDataset(dir: string, lines: DatasetLines): Promise<Record<ImdbFile, string>> {
  const files = {} as Record<ImdbFile, string>;
  for (const file of Object.keys(IMDB_FILES) as ImdbFile[]) {
    files[file] = path.join(dir, IMDB_FILES[file]);
    const text = `${[HEADERS[file], ...lines[file]].join('\n')}\n`;
    await writeFile(files[file], gzipSync(text));
  }
  return files;
}

/** Cuts a gzip file short, as an interrupted download leaves it. */
export async function truncateFile(file: string, keepFraction = 0.6): Promise<void> {
  const bytes = await readFile(file);
  await writeFile(file, bytes.subarray(0, Math.max(20, Math.floor(bytes.length * keepFraction))));
}
