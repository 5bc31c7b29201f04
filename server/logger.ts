/** A small leveled logger; main/ swaps in electron-log's file transport for the same calls. */
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function createConsoleLogger(prefix = 'mediacanon'): Logger {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} [${prefix}] ${message}`;
  return {
    info: (message, ...details) => console.log(line('INFO', message), ...details),
    warn: (message, ...details) => console.warn(line('WARN', message), ...details),
    error: (message, ...details) => console.error(line('ERROR', message), ...details),
  };
}

/** For tests: keeps what was logged instead of printing it. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string, ...details: unknown[]) =>
      lines.push(`${level} ${message}${details.length > 0 ? ` ${details.map(String).join(' ')}` : ''}`);
  return { lines, info: keep('INFO'), warn: keep('WARN'), error: keep('ERROR') };
}

/** Where the tray, the server and its jobs all append, so one file tells the whole story. */
export const logFilePath = (dataDir: string) => path.join(dataDir, 'logs', 'mediacanon.log');

/** Past this size the file is moved to `<file>.1`, keeping one previous file. */
const MAX_LOG_BYTES = 5 * 1024 * 1024;

const formatDetail = (detail: unknown) =>
  detail instanceof Error ? (detail.stack ?? detail.message) : typeof detail === 'string' ? detail : inspect(detail);

/**
 * Appends one line per call to `file` (and mirrors it on the console when asked). Writes
 * are synchronous appends: several processes share the file, and a line logged just
 * before a crash must not be lost in a buffer.
 */
export function createFileLogger({
  file,
  prefix = 'mediacanon',
  mirror = null,
}: {
  file: string;
  prefix?: string;
  mirror?: Logger | null;
}): Logger {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let writes = 0;
  const append = (level: string, message: string, details: unknown[]) => {
    const text = [message, ...details.map(formatDetail)].join(' ');
    try {
      // Checking the size on every line would cost a stat per line for nothing.
      if (writes++ % 200 === 0 && (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) {
        fs.renameSync(file, `${file}.1`);
      }
      fs.appendFileSync(file, `${new Date().toISOString()} ${level} [${prefix}] ${text}\n`);
    } catch {
      // A full disk or a removed folder must not take the server down with it.
    }
  };
  return {
    info(message, ...details) {
      append('INFO', message, details);
      mirror?.info(message, ...details);
    },
    warn(message, ...details) {
      append('WARN', message, details);
      mirror?.warn(message, ...details);
    },
    error(message, ...details) {
      append('ERROR', message, details);
      mirror?.error(message, ...details);
    },
  };
}
