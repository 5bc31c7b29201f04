import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';
import { createLogTail, filterLogLines, parseLogLine } from './log-tail.ts';

const tempDir = tempDirs();

function tempLog() {
  return path.join(tempDir('mediacanon-log-'), 'mediacanon.log');
}

describe('parseLogLine', () => {
  it('reads the server and electron-log formats alike', () => {
    expect(parseLogLine('2026-11-21T10:00:00.000Z WARN [server] port 8080 is taken')).toEqual({
      time: '2026-11-21T10:00:00.000Z',
      level: 'WARN',
      source: 'server',
      text: 'port 8080 is taken',
    });
    expect(parseLogLine('2026-11-21T10:00:01.000Z error [main] tray failed')).toMatchObject({
      level: 'ERROR',
      source: 'main',
    });
    expect(parseLogLine('    at foo (bar.ts:1:2)')).toEqual({
      time: null,
      level: null,
      source: null,
      text: '    at foo (bar.ts:1:2)',
    });
  });
});

describe('filterLogLines', () => {
  const lines = [
    '2026-11-21T10:00:00.000Z INFO [server] MediaCanon serving http://127.0.0.1:8080',
    '2026-11-21T10:00:01.000Z WARN [server] [job imdb] download slow',
    '2026-11-21T10:00:02.000Z ERROR [main] server exited',
  ].map(parseLogLine);

  it('keeps lines at or above the chosen level', () => {
    expect(filterLogLines(lines, { minLevel: 'WARN' }).map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    expect(filterLogLines(lines, { minLevel: 'ERROR' })).toHaveLength(1);
  });

  it('matches text case-insensitively, in the message or the source', () => {
    expect(filterLogLines(lines, { text: 'IMDB' }).map((l) => l.text)).toEqual(['[job imdb] download slow']);
    expect(filterLogLines(lines, { text: 'main' })).toHaveLength(1);
    expect(filterLogLines(lines, { text: '  ' })).toHaveLength(3);
  });
});

describe('createLogTail', () => {
  it('reads the end of the file, then only what is appended', async () => {
    const file = tempLog();
    const old = Array.from({ length: 100 }, (_, i) => `2026-11-21T09:00:00.000Z INFO [server] old line ${i}`);
    fs.writeFileSync(file, `${old.join('\n')}\n`);
    const tail = createLogTail({ file, initialBytes: 200 });
    expect(await tail.poll()).toBe(true);
    const first = tail.lines();
    // Only whole lines from the last 200 bytes.
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(5);
    expect(first.at(-1)?.text).toBe('old line 99');
    expect(first.every((line) => line.level === 'INFO')).toBe(true);

    expect(await tail.poll()).toBe(false);
    fs.appendFileSync(file, '2026-11-21T10:00:00.000Z ERROR [main] half');
    expect(await tail.poll()).toBe(false);
    fs.appendFileSync(file, ' a line\n');
    expect(await tail.poll()).toBe(true);
    expect(tail.lines({ minLevel: 'ERROR' }).map((line) => line.text)).toEqual(['half a line']);
  });

  it('starts over when the file is rotated', async () => {
    const file = tempLog();
    fs.writeFileSync(file, '2026-11-21T09:00:00.000Z INFO [server] before rotation, a long line\n');
    const tail = createLogTail({ file });
    await tail.poll();
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, '2026-11-21T10:00:00.000Z INFO [server] after\n');
    expect(await tail.poll()).toBe(true);
    expect(tail.lines().map((line) => line.text)).toEqual(['after']);
    // A new file already longer than the old one is still noticed (by its inode).
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(
      file,
      `${'2026-11-21T11:00:00.000Z INFO [server] much longer than the file it replaced\n'.repeat(3)}`,
    );
    expect(await tail.poll()).toBe(true);
    expect(tail.lines()).toHaveLength(3);
  });

  it('keeps at most maxLines', async () => {
    const file = tempLog();
    fs.writeFileSync(file, `${Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n')}\n`);
    const tail = createLogTail({ file, maxLines: 10 });
    await tail.poll();
    expect(tail.lines().map((line) => line.text)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${40 + i}`));
  });

  it('copes with a log that does not exist yet', async () => {
    const tail = createLogTail({ file: tempLog() });
    expect(await tail.poll()).toBe(false);
    expect(tail.lines()).toEqual([]);
  });
});
