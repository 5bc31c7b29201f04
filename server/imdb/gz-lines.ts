/**
 * A gzipped IMDb file as lines of bytes, for comparing two snapshots: nearly every line
 * of a day's export is the same as the day before, so lines are compared as bytes and
 * only the few that differ are ever decoded to strings.
 *
 * `next()` moves to the next line while the chunk in memory lasts (synchronous, so a loop
 * over millions of lines does not await each one); `advance()` reads on when it runs out.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeReadError, ImdbFileError, MAX_LINE_LENGTH } from './file-error.ts';
import type { KeyOrder } from './imdb-files.ts';

const CHUNK = 1 << 20;
const NEWLINE = 10;
export const TAB = 9;
const EMPTY = Buffer.alloc(0);

export class GzLines {
  /** The current line is buffer[start, end) (no newline, no \r); its key is [start, keyEnd). */
  buffer: Buffer = EMPTY;
  start = 0;
  end = 0;
  keyEnd = 0;
  /** Lines read so far, the header included. */
  lines = 0;
  /** Where the line after the current one starts. */
  from = 0;
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly input: ReturnType<typeof createReadStream>;
  private ended = false;

  constructor(readonly file: string) {
    const input = createReadStream(file, { highWaterMark: CHUNK });
    this.input = input;
    // pipeline() destroys every stage when one fails, so the error surfaces in fill().
    const text = pipeline(input, createGunzip({ chunkSize: CHUNK }), () => {});
    this.chunks = text[Symbol.asyncIterator]();
  }

  /** Moves to the next line held in memory; false when the chunk is used up (then `advance`). */
  next(): boolean {
    const newline = this.buffer.indexOf(NEWLINE, this.from);
    if (newline === -1) return false;
    this.take(newline, tabIn(this.buffer, this.from, newline));
    return true;
  }

  /** Makes the line from `from` to the newline at `newline` (its first tab at `tab`) current. */
  take(newline: number, tab: number): void {
    this.start = this.from;
    this.end = newline > this.start && this.buffer[newline - 1] === 13 ? newline - 1 : newline;
    this.keyEnd = tab > this.end ? this.end : tab;
    this.from = newline + 1;
    this.lines += 1;
  }

  /** Moves to the next line, reading on as needed; false at the end of the file. */
  async advance(): Promise<boolean> {
    while (!this.next()) {
      if (!(await this.fill())) return false;
    }
    return true;
  }

  /** Compressed bytes read so far, for progress against the file size. */
  get bytesRead(): number {
    return this.input.bytesRead;
  }

  text(): string {
    return this.buffer.toString('utf8', this.start, this.end);
  }

  key(): string {
    return this.buffer.toString('latin1', this.start, this.keyEnd);
  }

  /**
   * The number of the tconst in field `index` (0 or 1) without making a string: tt0000042
   * is 42; -1 when the field is not a tconst of at most 15 digits.
   */
  tconstNumber(index: 0 | 1): number {
    let at = this.start;
    let end = this.keyEnd;
    if (index === 1) {
      at = this.keyEnd + 1;
      end = tabIn(this.buffer, at, this.end);
    }
    if (end - at < 3 || end - at > 17 || this.buffer[at] !== 116 || this.buffer[at + 1] !== 116) return -1;
    let value = 0;
    for (let i = at + 2; i < end; i++) {
      const digit = (this.buffer[i] as number) - 48;
      if (digit < 0 || digit > 9) return -1;
      value = value * 10 + digit;
    }
    return value;
  }

  /** The line after its key: for title.episode, "parent\tseason\tepisode" (the episode's slot). */
  rest(): string {
    return this.keyEnd < this.end ? this.buffer.toString('latin1', this.keyEnd + 1, this.end) : '';
  }

  /** The second field (title.episode's parentTconst), or '' when there is none. */
  second(): string {
    if (this.keyEnd >= this.end) return '';
    return this.buffer.toString('latin1', this.keyEnd + 1, tabIn(this.buffer, this.keyEnd + 1, this.end));
  }

  /** Stops reading (the file is closed). */
  close(): void {
    void this.chunks.return?.();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    let chunk: IteratorResult<Buffer>;
    try {
      chunk = await this.chunks.next();
    } catch (error) {
      throw new ImdbFileError(this.file, describeReadError(error), { cause: error });
    }
    const rest = this.buffer.subarray(this.from);
    if (chunk.done) {
      this.ended = true;
      if (rest.length === 0) return false;
      // A last line without its newline.
      this.buffer = Buffer.concat([rest, Buffer.from([NEWLINE])]);
    } else {
      if (rest.length > MAX_LINE_LENGTH) {
        throw new ImdbFileError(this.file, `line ${this.lines + 1} is longer than ${MAX_LINE_LENGTH} characters`);
      }
      this.buffer = rest.length === 0 ? chunk.value : Buffer.concat([rest, chunk.value]);
    }
    this.from = 0;
    return true;
  }
}

/**
 * The first tab of buffer[from, to), or `to` when there is none. A loop rather than
 * indexOf, which would search on past the line's end: through the rest of a megabyte for
 * every line of a file whose lines have no tab.
 */
export function tabIn(buffer: Uint8Array, from: number, to: number): number {
  let at = from;
  while (at < to && buffer[at] !== TAB) at++;
  return at;
}

/** Orders two tconsts held as bytes, as `order` says: by number (shorter first) or as text. */
export function compareKeyBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
  order: KeyOrder,
): number {
  const lengthA = aEnd - aStart;
  const lengthB = bEnd - bStart;
  if (order === 'number' && lengthA !== lengthB) return lengthA - lengthB;
  const shared = Math.min(lengthA, lengthB);
  for (let i = 0; i < shared; i++) {
    const byte = (a[aStart + i] as number) - (b[bStart + i] as number);
    if (byte !== 0) return byte;
  }
  return lengthA - lengthB;
}

/** Orders two current lines' keys as `order` says (see KeyOrder). */
export function compareKeys(a: GzLines, b: GzLines, order: KeyOrder): number {
  return compareKeyBytes(a.buffer, a.start, a.keyEnd, b.buffer, b.start, b.keyEnd, order);
}

export function sameLine(a: GzLines, b: GzLines): boolean {
  return a.end - a.start === b.end - b.start && a.buffer.compare(b.buffer, b.start, b.end, a.start, a.end) === 0;
}
