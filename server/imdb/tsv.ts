/**
 * Streaming reader for IMDb's gzipped TSV files: file → gunzip → lines → fields → rows, in
 * batches, so memory stays bounded whatever the file size. The format is IMDb's, not CSV:
 * a tab separates fields, `\N` is null, and quotes are ordinary characters (real titles
 * start with a `"` that never closes).
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeReadError, ImdbFileError, MAX_LINE_LENGTH } from './file-error.ts';
import { GzLines, TAB, tabIn } from './gz-lines.ts';

export { ImdbFileError };

/** What `toRow` returns for a line whose fields cannot be a row (counted like a bad line). */
export const MALFORMED = Symbol('malformed');

/**
 * One line's field by its index in `columns` (`\N` already null). Fields are cut out of
 * the line only when asked for: most IMDb lines are episodes, of which a format needs
 * three fields out of nine.
 */
export type TsvField = (index: number) => string | null;

export interface TsvFormat<Row> {
  /** Columns the rows need; the header must name them all, in any order. */
  readonly columns: readonly string[];
  /**
   * Turns one line into a row, or null for a well-formed line the import does not want.
   * `field` reads the current line only: call it before returning, never later.
   */
  toRow(field: TsvField): Row | null | typeof MALFORMED;
}

export interface TsvReport {
  file: string;
  /** Data lines read (the header not included). */
  lines: number;
  /** Lines that became rows. */
  rows: number;
  /** Lines with the wrong number of fields, or values `toRow` rejected. */
  badRows: number;
  /** Line numbers (1 = header) of the first few bad rows, for the report. */
  badLines: number[];
  /** Compressed bytes read so far, for progress against the file size. */
  bytesRead: number;
}

export const BAD_LINES_KEPT = 10;

export interface ReadTsvOptions {
  batchSize?: number;
  /** Reads only some of the file's lines (see LineSelection). */
  select?: LineSelection;
}

/**
 * The lines of a file one reader takes, told apart by one column's bytes before any line
 * is decoded: two readers with the same column and value, one taking 'matching' lines and
 * the other the 'others', share every line of the file between them. Lines a reader leaves
 * count in its report's `lines` (so line numbers stay the file's), never in its rows.
 */
export interface LineSelection {
  column: string;
  value: string;
  take: 'matching' | 'others';
}

/**
 * Reads `file` as batches of rows. `report` fills in as the batches are consumed and is
 * complete once the iteration ends; a gzip or read failure throws an ImdbFileError.
 */
export function readTsv<Row>(
  file: string,
  format: TsvFormat<Row>,
  { batchSize = 5000, select }: ReadTsvOptions = {},
): { batches: AsyncIterable<Row[]>; report: TsvReport } {
  const report: TsvReport = { file, lines: 0, rows: 0, badRows: 0, badLines: [], bytesRead: 0 };
  const batches = select
    ? readSelectedBatches(file, format, report, batchSize, select)
    : readBatches(file, format, report, batchSize);
  return { batches, report };
}

async function* readBatches<Row>(
  file: string,
  format: TsvFormat<Row>,
  report: TsvReport,
  batchSize: number,
): AsyncGenerator<Row[]> {
  const input = createReadStream(file);
  // pipeline() destroys every stage when one fails, so a gzip error surfaces in the loop
  // below; the callback only has to exist (the loop reports the error).
  const text = pipeline(input, createGunzip(), () => {});
  text.setEncoding('utf8');
  const lines = createLineParser(file, format, report);
  let pending = '';
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      const data = pending + chunk;
      // One search per chunk spares every line its own: NUL is never in IMDb data.
      const mayHoldNul = data.includes('\u0000');
      let start = 0;
      for (let end = data.indexOf('\n'); end !== -1; end = data.indexOf('\n', start)) {
        lines.parse(data.slice(start, end), mayHoldNul);
        start = end + 1;
      }
      pending = data.slice(start);
      if (pending.length > MAX_LINE_LENGTH) {
        throw new ImdbFileError(file, `line ${report.lines + 2} is longer than ${MAX_LINE_LENGTH} characters`);
      }
      report.bytesRead = input.bytesRead;
      if (lines.batch.length >= batchSize) yield lines.take();
    }
  } catch (error) {
    throw error instanceof ImdbFileError ? error : new ImdbFileError(file, describeReadError(error), { cause: error });
  }
  if (pending !== '') lines.parse(pending, true);
  if (!lines.sawHeader) throw new ImdbFileError(file, 'the file is empty (no header line)');
  if (lines.batch.length > 0) yield lines.take();
}

/**
 * Reads lines as bytes (gz-lines.ts) and decodes only those `select` takes: gunzipping and
 * splitting title.basics takes about 1.3 s at full scale, decoding and parsing it all 9 s.
 */
async function* readSelectedBatches<Row>(
  file: string,
  format: TsvFormat<Row>,
  report: TsvReport,
  batchSize: number,
  select: LineSelection,
): AsyncGenerator<Row[]> {
  const lines = new GzLines(file);
  const parser = createLineParser(file, format, report);
  const value = Buffer.from(select.value);
  const matching = select.take === 'matching';
  let column = -1;
  try {
    while (await lines.advance()) {
      if (column === -1) {
        const header = lines.text();
        column = header.split('\t').indexOf(select.column);
        if (column === -1) throw new ImdbFileError(file, `the header has no column ${select.column}`);
        parser.parse(header, true);
        continue;
      }
      if (fieldEquals(lines, column, value) !== matching) {
        report.lines += 1;
        continue;
      }
      parser.parse(lines.text(), true);
      if (parser.batch.length >= batchSize) {
        report.bytesRead = lines.bytesRead;
        yield parser.take();
      }
    }
  } finally {
    lines.close();
  }
  if (!parser.sawHeader) throw new ImdbFileError(file, 'the file is empty (no header line)');
  report.bytesRead = lines.bytesRead;
  if (parser.batch.length > 0) yield parser.take();
}

/**
 * Whether field `column` of the current line is exactly `value`, compared as bytes. The
 * first tab is the one GzLines found already (keyEnd).
 */
function fieldEquals(lines: GzLines, column: number, value: Buffer): boolean {
  const { buffer, end, keyEnd } = lines;
  if (column > 0 && keyEnd === end) return false;
  let at = column > 0 ? keyEnd + 1 : lines.start;
  for (let skipped = 1; skipped < column; skipped++) {
    const tab = tabIn(buffer, at, end);
    if (tab === end) return false;
    at = tab + 1;
  }
  const after = at + value.length;
  if (after > end || (after < end && buffer[after] !== TAB)) return false;
  return buffer.compare(value, 0, value.length, at, after) === 0;
}

export function createLineParser<Row>(file: string, format: TsvFormat<Row>, report: TsvReport) {
  let fields: ReturnType<typeof createFieldReader> | null = null;
  const parser = {
    batch: [] as Row[],
    sawHeader: false,
    take(): Row[] {
      const full = parser.batch;
      parser.batch = [];
      return full;
    },
    parse(raw: string, mayHoldNul: boolean) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (fields === null) {
        fields = readHeader(file, format, line);
        parser.sawHeader = true;
        return;
      }
      report.lines += 1;
      // PostgreSQL text cannot hold NUL: one would fail the whole COPY.
      const wellFormed = fields.load(line) && !(mayHoldNul && line.includes('\u0000'));
      const row = wellFormed ? format.toRow(fields.field) : MALFORMED;
      if (row === MALFORMED) {
        report.badRows += 1;
        // +1 for the header line, +1 because line numbers start at 1.
        if (report.badLines.length < BAD_LINES_KEPT) report.badLines.push(report.lines + 1);
      } else if (row !== null) {
        report.rows += 1;
        parser.batch.push(row);
      }
    },
  };
  return parser;
}

function readHeader(file: string, format: TsvFormat<unknown>, line: string) {
  const { picks, missing, fieldCount } = matchHeader(line, format.columns);
  if (missing.length > 0) throw new ImdbFileError(file, `the header has no column ${missing.join(', ')}`);
  return createFieldReader(picks, fieldCount);
}

/**
 * Where each of `columns` sits in a header line (-1: absent), and those absent. Other
 * columns may come in any order around them. The download checks a file by it too.
 */
export function matchHeader(line: string, columns: readonly string[]) {
  const header = line.split('\t');
  const picks = columns.map((column) => header.indexOf(column));
  return { picks, missing: columns.filter((_, i) => picks[i] === -1), fieldCount: header.length };
}

/** Finds a line's tabs once; `field` then cuts out only the fields asked for. */
function createFieldReader(picks: number[], fieldCount: number) {
  const ends = new Int32Array(fieldCount);
  let line = '';
  const field: TsvField = (index) => {
    const column = picks[index] as number;
    const start = column === 0 ? 0 : (ends[column - 1] as number) + 1;
    const end = ends[column] as number;
    // `\N` is recognised without cutting a string for it.
    if (end - start === 2 && line.charCodeAt(start) === 92 && line.charCodeAt(start + 1) === 78) return null;
    return line.slice(start, end);
  };
  return {
    field,
    /** Takes `text` as the current line; false when it has the wrong number of fields. */
    load(text: string): boolean {
      let count = 0;
      for (let tab = text.indexOf('\t'); tab !== -1; tab = text.indexOf('\t', tab + 1)) {
        if (count === fieldCount - 1) return false;
        ends[count++] = tab;
      }
      if (count !== fieldCount - 1) return false;
      ends[count] = text.length;
      line = text;
      return true;
    },
  };
}
