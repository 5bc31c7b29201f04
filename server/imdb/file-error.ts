/** How reading an IMDb file fails: which file, and what is wrong with it. */
import path from 'node:path';

export class ImdbFileError extends Error {
  override name = 'ImdbFileError';
  readonly code = 'imdb.file_unreadable';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path.basename(file)}: ${message} (${file})`, options);
  }
}

// A line this long is not IMDb data; refusing it keeps one missing newline from holding
// the rest of the file in memory.
export const MAX_LINE_LENGTH = 1 << 20;

export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') return 'file not found';
  if (code === 'Z_BUF_ERROR' || message === 'unexpected end of file') {
    return 'the gzip data is truncated (unexpected end of file)';
  }
  if (typeof code === 'string' && code.startsWith('Z_')) return `the gzip data is corrupt (${message})`;
  return `cannot be read (${message})`;
}
