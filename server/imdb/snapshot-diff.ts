/**
 * Compares two snapshots of one IMDb file line by line, in the tconst order IMDb writes
 * them in: one ordered walk over both (a merge join), so memory stays bounded by the
 * lines in flight. Lines are compared as bytes; the handlers decode only what they keep.
 *
 * Any doubt ends the comparison with BaselineUnusable, and the import then compares the
 * whole file with the database instead: the previous file cannot be read, a file is not
 * in strict tconst order (duplicates included), or the headers differ.
 */
import path from 'node:path';
import { compareKeyBytes, compareKeys, GzLines, sameLine } from './gz-lines.ts';
import type { KeyOrder } from './imdb-files.ts';

export class BaselineUnusable extends Error {
  override name = 'BaselineUnusable';
}

export interface LineDiff {
  /** The header both files share, before any line. */
  header(line: GzLines): void;
  /** Awaited each time the new file's reader runs out of a chunk (about every megabyte). */
  drain(newFile: GzLines): Promise<void>;
  /** A line only the new file has (`old` null), or one whose text changed. */
  changed(line: GzLines, old: GzLines | null): void;
  /** A line only the old file has. */
  removed(old: GzLines): void;
  /** A line both files hold as is. */
  unchanged(line: GzLines): void;
}

// A key longer than this is not a tconst: the file is not what the walk expects.
const MAX_KEY = 32;
const NEWLINE = 10;
const TAB = 9;

/** Remembers a file's previous key, to check each line comes after it (plain loops: per line). */
function orderCheck(file: string, keyOrder: KeyOrder) {
  const previous = new Uint8Array(MAX_KEY);
  let length = -1;
  return (lines: GzLines) => {
    const { buffer, start } = lines;
    const keyLength = lines.keyEnd - start;
    if (keyLength > MAX_KEY) throw new BaselineUnusable(`${path.basename(file)}: line ${lines.lines} has no tconst`);
    if (length !== -1 && compareKeyBytes(buffer, start, lines.keyEnd, previous, 0, length, keyOrder) <= 0) {
      throw new BaselineUnusable(
        `${path.basename(file)} is not in tconst order (by ${keyOrder}) at line ${lines.lines}`,
      );
    }
    for (let i = 0; i < keyLength; i++) previous[i] = buffer[start + i] as number;
    length = keyLength;
  };
}

/**
 * Takes the lines both files hold as is, while they last in memory: one pass over both
 * buffers finds each line's end and its equality at once (most of a day's file).
 */
function takeSameLines(before: GzLines, after: GzLines, onLine: () => void): void {
  const a = before.buffer;
  const b = after.buffer;
  for (;;) {
    let i = before.from;
    let j = after.from;
    let tab = -1;
    while (i < a.length && j < b.length) {
      const byte = a[i];
      if (byte !== b[j] || byte === NEWLINE) break;
      if (byte === TAB && tab === -1) tab = i;
      i++;
      j++;
    }
    if (i >= a.length || j >= b.length || a[i] !== NEWLINE || b[j] !== NEWLINE) return;
    before.take(i, tab === -1 ? i : tab);
    after.take(j, tab === -1 ? j : tab - i + j);
    onLine();
  }
}

/**
 * Walks `oldFile` and `newFile` together, both in `order` (the order the baseline's import
 * saw, see baseline.ts), and reports each line to `diff`. Returns the
 * number of data lines of the new file. A failure reading the new file is the new file's
 * error (ImdbFileError); one reading the old file is BaselineUnusable.
 */
export async function diffFiles(oldFile: string, newFile: string, order: KeyOrder, diff: LineDiff): Promise<number> {
  const before = new GzLines(oldFile);
  const after = new GzLines(newFile);
  const checkBefore = orderCheck(oldFile, order);
  const checkAfter = orderCheck(newFile, order);
  const readBefore = async () => {
    try {
      return await before.advance();
    } catch (error) {
      throw new BaselineUnusable(`the previous ${path.basename(oldFile)} cannot be read`, { cause: error });
    }
  };
  try {
    // Lines in memory are walked synchronously; only running out of a chunk awaits.
    let hasBefore = before.next() || (await readBefore());
    let hasAfter = after.next() || (await after.advance());
    if (!hasBefore || !hasAfter || !sameLine(before, after)) {
      throw new BaselineUnusable(`${path.basename(newFile)}: the header differs from the previous file's`);
    }
    diff.header(after);
    hasBefore = before.next() || (await readBefore());
    hasAfter = after.next() || (await after.advance());
    if (hasBefore) checkBefore(before);
    if (hasAfter) checkAfter(after);
    while (hasBefore || hasAfter) {
      const step = !hasBefore ? 1 : !hasAfter ? -1 : compareKeys(before, after, order);
      if (step === 0) {
        if (sameLine(before, after)) diff.unchanged(after);
        else diff.changed(after, before);
      } else if (step < 0) diff.removed(before);
      else diff.changed(after, null);
      if (step === 0) {
        takeSameLines(before, after, () => {
          checkBefore(before);
          checkAfter(after);
          diff.unchanged(after);
        });
      }
      if (step <= 0) {
        hasBefore = before.next() || (await readBefore());
        if (hasBefore) checkBefore(before);
      }
      if (step >= 0) {
        hasAfter = after.next();
        if (!hasAfter) {
          await diff.drain(after);
          hasAfter = await after.advance();
        }
        if (hasAfter) checkAfter(after);
      }
    }
    return after.lines - 1;
  } finally {
    before.close();
    after.close();
  }
}

/** Walks one file's lines with the same reader: the header to `header`, then each line to `visit` (false stops). */
export async function walkFile(
  file: string,
  header: (line: GzLines) => void,
  visit: (line: GzLines) => boolean,
): Promise<void> {
  const lines = new GzLines(file);
  try {
    if (!(lines.next() || (await lines.advance()))) return;
    header(lines);
    while ((lines.next() || (await lines.advance())) && visit(lines)) {}
  } finally {
    lines.close();
  }
}
