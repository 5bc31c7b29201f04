import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../test/temp-dirs.ts';
import { createFileLogger, createMemoryLogger, logFilePath } from './logger.ts';

const makeDir = tempDirs();
const tempDir = () => makeDir('mediacanon-logger-');

describe('createFileLogger', () => {
  it('appends one timestamped line per call, with level, source and details, and mirrors it', () => {
    const file = logFilePath(tempDir());
    const mirror = createMemoryLogger();
    const log = createFileLogger({ file, prefix: 'server', mirror });
    log.info('serving', 'http://127.0.0.1:8080');
    log.warn('slow', { ms: 1200 });
    log.error('failed', new Error('disk full'));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO \[server\] serving http:\/\/127\.0\.0\.1:8080$/,
    );
    expect(lines[1]).toMatch(/ WARN \[server\] slow \{ ms: 1200 \}$/);
    expect(lines[2]).toMatch(/ ERROR \[server\] failed Error: disk full$/);
    expect(lines[3]).toMatch(/^\s+at /);
    expect(mirror.lines).toEqual([
      'INFO serving http://127.0.0.1:8080',
      'WARN slow [object Object]',
      'ERROR failed Error: disk full',
    ]);
  });

  it('shares the file between writers, as the tray, the server and the jobs do', () => {
    const file = logFilePath(tempDir());
    createFileLogger({ file, prefix: 'server' }).info('one');
    createFileLogger({ file, prefix: 'main' }).info('two');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/INFO \[server\] one\n.* INFO \[main\] two\n$/);
  });

  it('moves a file past its size limit aside and starts a new one', () => {
    const file = logFilePath(tempDir());
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'x'.repeat(5 * 1024 * 1024 + 1));
    createFileLogger({ file }).info('fresh');
    expect(fs.statSync(`${file}.1`).size).toBe(5 * 1024 * 1024 + 1);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/INFO \[mediacanon\] fresh\n$/);
  });

  it('never throws when the file cannot be written', () => {
    const dir = tempDir();
    const file = logFilePath(dir);
    const log = createFileLogger({ file });
    fs.rmSync(path.dirname(file), { recursive: true });
    fs.mkdirSync(file, { recursive: true }); // a directory where the file should be
    expect(() => log.error('still running')).not.toThrow();
  });
});
