/**
 * How the lines a delta walk keeps reach staging: each file's own parser (the same one
 * a whole import uses, so rows are checked and counted alike) fills batches, which a
 * staging loader pulls while the walk goes on, one batch in flight.
 */
import type { GzLines } from './gz-lines.ts';
import type { CountedFormat } from './imdb-files.ts';
import { createLineParser, type TsvReport } from './tsv.ts';

const BATCH = 5000;

/** Rows pushed by a synchronous walk, pulled by a staging loader, one batch in flight. */
function channel<Row>() {
  const queue: Row[][] = [];
  let wake: (() => void) | null = null;
  let room: (() => void) | null = null;
  let ended = false;
  let failed: unknown = null;
  const iterable: AsyncIterable<Row[]> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (failed) throw failed;
        const batch = queue.shift();
        if (batch) {
          resumeWriter();
          yield batch;
        } else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
  const poke = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  const resumeWriter = () => {
    const resume = room;
    room = null;
    resume?.();
  };
  return {
    iterable,
    push(batch: Row[]) {
      if (batch.length > 0) queue.push(batch);
      poke();
    },
    end() {
      ended = true;
      poke();
    },
    /** Ends the loader with `error` (a PostgreSQL COPY then sends CopyFail). */
    fail(error: unknown) {
      failed = error;
      poke();
      resumeWriter();
    },
    /** Resolves once at most one batch waits for the loader (or the channel failed). */
    room(): Promise<void> {
      if (queue.length <= 1 || failed) return Promise.resolve();
      return new Promise<void>((resolve) => (room = resolve));
    },
  };
}

/** One file's parser and its way into staging, fed line by line from a walk. */
export function createSink<Row>(
  file: string,
  format: CountedFormat<Row>,
  load: (batches: AsyncIterable<Row[]>, order: { sorted: boolean }) => Promise<void>,
  keep: (row: Row) => boolean = () => true,
) {
  const report: TsvReport = { file, lines: 0, rows: 0, badRows: 0, badLines: [], bytesRead: 0 };
  const parser = createLineParser(file, format, report);
  const rows = channel<Row>();
  let failure: unknown = null;
  const loading = load(rows.iterable, { sorted: true }).catch((error: unknown) => {
    failure = error;
    rows.fail(error); // a walk waiting for room goes on, to see the failure
  });
  return {
    report,
    counts: format.counts,
    header(line: GzLines) {
      parser.parse(line.text(), true);
    },
    /** Parses one line; true when it became a row. */
    add(line: GzLines): boolean {
      const before = report.rows;
      parser.parse(line.text(), true);
      return report.rows > before;
    },
    /** Hands full batches to staging and waits while it is behind. */
    async drain(force = false) {
      if (failure) throw failure;
      if (parser.batch.length >= BATCH || (force && parser.batch.length > 0)) rows.push(parser.take().filter(keep));
      await rows.room();
      if (failure) throw failure;
    },
    async finish() {
      await this.drain(true);
      rows.end();
      await loading;
      if (failure) throw failure;
    },
    /** Stops the loader after a failure elsewhere, leaving the connection usable. */
    async abort(error: unknown) {
      rows.fail(error);
      await loading;
    },
  };
}

export type Sink = ReturnType<typeof createSink<unknown>>;
