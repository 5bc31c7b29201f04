/**
 * The log viewer's data: the last part of the shared log file, kept up to date as the
 * tray, the server and the jobs append to it, and filtered by level and text. Reads only
 * the tail (a log can be large) and follows the file across rotation.
 */
import fs from 'node:fs/promises';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export interface LogLine {
  time: string | null;
  level: LogLevel | null;
  /** Who wrote it: main, server, … */
  source: string | null;
  text: string;
}

export interface LogFilter {
  /** Case-insensitive; matches the text and the source. */
  text?: string;
  /** The least severe level shown. */
  minLevel?: LogLevel;
}

const SEVERITY: Record<LogLevel, number> = { INFO: 0, WARN: 1, ERROR: 2 };
const LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\w+) \[([^\]]+)\] ?(.*)$/;

/** Server lines say INFO, electron-log says info; both name their source in brackets. */
export function parseLogLine(line: string): LogLine {
  const match = LINE.exec(line);
  if (!match) return { time: null, level: null, source: null, text: line };
  const level = match[2]?.toUpperCase();
  return {
    time: match[1] ?? null,
    level: level === 'WARN' || level === 'ERROR' ? level : level === 'WARNING' ? 'WARN' : 'INFO',
    source: match[3] ?? null,
    text: match[4] ?? '',
  };
}

export function filterLogLines(lines: LogLine[], filter: LogFilter): LogLine[] {
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const least = SEVERITY[filter.minLevel ?? 'INFO'];
  return lines.filter(
    (line) =>
      // Continuation lines (stack traces) have no level and stay with what they continue.
      (line.level === null || SEVERITY[line.level] >= least) &&
      (needle === '' || line.text.toLowerCase().includes(needle) || line.source?.toLowerCase().includes(needle)),
  );
}

export interface LogTailOptions {
  file: string;
  /** How much of an existing file to read at first. */
  initialBytes?: number;
  /** Lines kept in memory; older ones drop off. */
  maxLines?: number;
}

export function createLogTail({ file, initialBytes = 256 * 1024, maxLines = 5000 }: LogTailOptions) {
  let lines: LogLine[] = [];
  let offset = 0;
  let partial = '';
  let inode: number | null = null;

  async function readFrom(start: number, end: number) {
    const handle = await fs.open(file, 'r');
    try {
      const buffer = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  }

  return {
    /** Reads what was appended since the last call; true when there are new lines. */
    async poll(): Promise<boolean> {
      const stat = await fs.stat(file).catch(() => null);
      const size = stat?.size ?? 0;
      if (size < offset || (stat && inode !== null && stat.ino !== inode)) {
        // Rotated or truncated: start over with the new file.
        offset = 0;
        partial = '';
        lines = [];
      }
      inode = stat?.ino ?? null;
      if (size === offset) return false;
      const start = offset === 0 ? Math.max(0, size - initialBytes) : offset;
      let chunk = partial + (await readFrom(start, size));
      // Starting mid-file, the first line is cut: drop it.
      if (offset === 0 && start > 0) chunk = chunk.slice(chunk.indexOf('\n') + 1);
      offset = size;
      const parts = chunk.split('\n');
      partial = parts.pop() ?? '';
      lines = [...lines, ...parts.filter((part) => part !== '').map(parseLogLine)].slice(-maxLines);
      return parts.length > 0;
    },
    lines: (filter: LogFilter = {}) => filterLogLines(lines, filter),
  };
}

export type LogTail = ReturnType<typeof createLogTail>;
