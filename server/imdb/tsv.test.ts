import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImdbFileError, MALFORMED, readTsv, type TsvFormat } from './tsv.ts';

type Pair = { id: string; name: string | null };

const pairs: TsvFormat<Pair> = {
  columns: ['id', 'name'],
  toRow: (field) => {
    const id = field(0) as string;
    return id === 'skip' ? null : id === 'bad' ? MALFORMED : { id, name: field(1) };
  },
};

describe('readTsv', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mc-tsv-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const gz = async (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    await writeFile(file, gzipSync(text));
    return file;
  };
  const readAll = async <Row>(file: string, format: TsvFormat<Row>, batchSize?: number) => {
    const { batches, report } = readTsv(file, format, { batchSize });
    const rows: Row[] = [];
    let count = 0;
    for await (const batch of batches) {
      rows.push(...batch);
      count += 1;
    }
    return { rows, report, batches: count };
  };

  it('reads columns by header name, maps \\N to null and keeps quotes literally', async () => {
    const file = await gz('a.tsv.gz', 'other\tname\tid\nx\t"Weird title\t1\ny\t\\N\t2\nz\tSay "hi" \'there\'\t3\n');
    const { rows, report } = await readAll(file, pairs);
    expect(rows).toEqual([
      { id: '1', name: '"Weird title' },
      { id: '2', name: null },
      { id: '3', name: 'Say "hi" \'there\'' },
    ]);
    expect(report).toMatchObject({ lines: 3, rows: 3, badRows: 0, badLines: [] });
  });

  it('counts rows with the wrong number of fields and rows the format rejects, keeping their line numbers', async () => {
    const text = ['id\tname', '1\tok', '2', '3\tok\textra', 'bad\tx', 'skip\tx', '', '4\tok', '5\tnul\u0000'].join(
      '\n',
    );
    const { rows, report } = await readAll(await gz('b.tsv.gz', text), pairs);
    expect(rows.map((r) => r.id)).toEqual(['1', '4']);
    // Lines 3, 4, 5, the empty line 7 and the NUL in line 9; 'skip' (line 6) is wanted by nobody, not bad.
    expect(report).toMatchObject({ lines: 8, rows: 2, badRows: 5, badLines: [3, 4, 5, 7, 9] });
  });

  it('accepts CRLF line ends and a last line without a newline', async () => {
    const { rows } = await readAll(await gz('c.tsv.gz', 'id\tname\r\n1\ta\r\n2\tb'), pairs);
    expect(rows).toEqual([
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
    ]);
  });

  it('streams a large file in bounded batches without splitting multi-byte characters', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `${i}\tAmélie 東京物語 ${i}`);
    const file = await gz('d.tsv.gz', `id\tname\n${lines.join('\n')}\n`);
    const { rows, report, batches } = await readAll(file, pairs, 1000);
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]).toEqual({ id: '49999', name: 'Amélie 東京物語 49999' });
    expect(rows.every((row) => row.name?.startsWith('Amélie 東京物語 '))).toBe(true);
    expect(batches).toBeGreaterThan(20);
    expect(report.bytesRead).toBeGreaterThan(0);
  });

  it('names the file when the gzip data is truncated', async () => {
    const body = `id\tname\n${Array.from({ length: 20_000 }, (_, i) => `${i}\tname ${i}`).join('\n')}\n`;
    const file = path.join(dir, 'title.basics.tsv.gz');
    const full = gzipSync(body);
    await writeFile(file, full.subarray(0, Math.floor(full.length / 2)));
    const error = await readAll(file, pairs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImdbFileError);
    expect((error as Error).message).toMatch(/^title\.basics\.tsv\.gz: the gzip data is truncated/);
  });

  it('names the file when it is not gzip at all, or missing', async () => {
    const plain = path.join(dir, 'plain.tsv.gz');
    await writeFile(plain, 'id\tname\n1\ta\n');
    await expect(readAll(plain, pairs)).rejects.toThrow(/^plain\.tsv\.gz: the gzip data is corrupt/);
    await expect(readAll(path.join(dir, 'absent.tsv.gz'), pairs)).rejects.toThrow(/^absent\.tsv\.gz: file not found/);
  });

  it('shares a file between two readers selecting lines by the bytes of one column', async () => {
    const typed: TsvFormat<Pair & { type: string | null }> = {
      columns: ['id', 'name', 'type'],
      toRow: (field) => (field(0) === 'bad' ? MALFORMED : { id: field(0) as string, name: field(1), type: field(2) }),
    };
    const text = [
      'id\ttype\tname',
      '1\tep\tÉpisode 東京',
      '2\tmovie\tA film',
      '3\tepic\tNot an ep',
      '4\tep', // one field short: bad, and the episode reader's
      'bad\tep\tx',
      '5\tep\tlast\r',
      '6',
      '7\tmovie\tno newline',
    ].join('\n');
    const file = await gz('s.tsv.gz', text);
    const read = async (take: 'matching' | 'others') => {
      const { batches, report } = readTsv(file, typed, { select: { column: 'type', value: 'ep', take } });
      const rows: string[] = [];
      for await (const batch of batches) rows.push(...batch.map((row) => `${row.id}:${row.type}:${row.name}`));
      return { rows, report };
    };
    const episodes = await read('matching');
    const others = await read('others');
    expect(episodes.rows).toEqual(['1:ep:Épisode 東京', '5:ep:last']);
    expect(episodes.report).toMatchObject({ lines: 8, rows: 2, badRows: 2, badLines: [5, 6] });
    expect(others.rows).toEqual(['2:movie:A film', '3:epic:Not an ep', '7:movie:no newline']);
    expect(others.report).toMatchObject({ lines: 8, rows: 3, badRows: 1, badLines: [8] });
    // Between them, what one reader of every line reads.
    const all = await readAll(file, typed);
    expect(all.report).toMatchObject({ lines: 8, rows: 5, badRows: 3, badLines: [5, 6, 8] });
  });

  it('reports a truncated file, or a header without the selected column, to a selecting reader', async () => {
    const select = { column: 'name', value: 'x', take: 'others' } as const;
    const drain = async (file: string, format: TsvFormat<unknown>, options: Parameters<typeof readTsv>[2]) => {
      for await (const _ of readTsv(file, format, options).batches);
    };
    const body = `id\tname\n${Array.from({ length: 20_000 }, (_, i) => `${i}\tname ${i}`).join('\n')}\n`;
    const full = gzipSync(body);
    const truncated = path.join(dir, 'title.episode.tsv.gz');
    await writeFile(truncated, full.subarray(0, Math.floor(full.length / 2)));
    await expect(drain(truncated, pairs, { select })).rejects.toThrow(
      /^title\.episode\.tsv\.gz: the gzip data is truncated/,
    );
    const other = { ...select, column: 'kind' };
    await expect(drain(await gz('g.tsv.gz', 'id\tname\n1\tx\n'), pairs, { select: other })).rejects.toThrow(
      /g\.tsv\.gz: the header has no column kind/,
    );
    await expect(drain(await gz('h.tsv.gz', ''), pairs, { select })).rejects.toThrow(/h\.tsv\.gz: the file is empty/);
  });

  it('rejects a header without a needed column, and an empty file', async () => {
    await expect(readAll(await gz('e.tsv.gz', 'id\ttitle\n1\ta\n'), pairs)).rejects.toThrow(
      /e\.tsv\.gz: the header has no column name/,
    );
    await expect(readAll(await gz('f.tsv.gz', ''), pairs)).rejects.toThrow(/f\.tsv\.gz: the file is empty/);
  });
});
