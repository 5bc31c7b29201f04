/**
 * Downloads the IMDb dataset files into the data directory, only when they changed:
 * each file's ETag and Last-Modified are kept beside it and sent back (If-None-Match,
 * If-Modified-Since). A download lands in a .part file renamed into place only once it is
 * complete and checked (dataset-check.ts), so a failure keeps the previous file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DownloadError, datasetCheck } from './dataset-check.ts';

export const IMDB_DATASET_FILES = ['title.basics.tsv.gz', 'title.episode.tsv.gz', 'title.ratings.tsv.gz'] as const;

export interface DownloadProgress {
  file: string;
  bytes: number;
  total: number | null;
}

export interface DownloadOptions {
  baseUrl: string;
  dir: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof fetch;
  /** Ends a download that receives nothing for this long (default 60 s). */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  file: string;
  status: 'downloaded' | 'unchanged';
  bytes: number;
}

export { DownloadError };

interface Validators {
  etag?: string;
  lastModified?: string;
}

const metaFile = (file: string) => `${file}.meta.json`;

function readValidators(file: string): Validators {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(metaFile(file), 'utf8')) as Validators;
  } catch {
    return {};
  }
}

/** A stream that fails when no chunk arrives for `ms`: a stalled server must not hang the job. */
function idleGuard(ms: number, url: string) {
  let timer: NodeJS.Timeout | undefined;
  const arm = (stream: Transform) => {
    clearTimeout(timer);
    timer = setTimeout(() => stream.destroy(new DownloadError(`${url}: no data for ${ms / 1000} s`)), ms);
  };
  const guard: Transform = new Transform({
    transform(chunk, _encoding, callback) {
      arm(guard);
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
  arm(guard);
  return guard;
}

async function request(url: string, validators: Validators, options: DownloadOptions) {
  const headers: Record<string, string> = {};
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  try {
    return await (options.fetch ?? fetch)(url, { headers, signal: options.signal, redirect: 'follow' });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(
      `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
}

export async function downloadImdbFile(name: string, options: DownloadOptions): Promise<DownloadResult> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/${name}`;
  const file = path.join(options.dir, name);
  const validators = readValidators(file);
  const response = await request(url, validators, options);
  if (response.status === 304 && fs.existsSync(file)) {
    await response.body?.cancel();
    return { file, status: 'unchanged', bytes: fs.statSync(file).size };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  const total = Number(response.headers.get('content-length')) || null;
  const part = `${file}.part`;
  fs.mkdirSync(options.dir, { recursive: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      options.onProgress?.({ file: name, bytes, total });
      callback(null, chunk);
    },
  });
  const out = fs.createWriteStream(part);
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      idleGuard(options.idleTimeoutMs ?? 60_000, url),
      counter,
      datasetCheck(name, url),
      out,
      { signal: options.signal },
    );
    if (total !== null && bytes !== total) throw new DownloadError(`${url}: got ${bytes} of ${total} bytes`);
    fs.renameSync(part, file);
  } catch (error) {
    // A stream that failed early may still be creating the file: removed once it is closed.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    fs.rmSync(part, { force: true });
    if (error instanceof DownloadError || options.signal?.aborted) throw error;
    throw new DownloadError(`${url}: download failed: ${(error as Error).message}`);
  }
  const next: Validators = {
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
  };
  fs.writeFileSync(metaFile(file), JSON.stringify(next));
  return { file, status: 'downloaded', bytes };
}

/** All three files, one after the other; the first failure stops the run. */
export async function downloadImdbDatasets(options: DownloadOptions): Promise<DownloadResult[]> {
  const results: DownloadResult[] = [];
  for (const name of IMDB_DATASET_FILES) results.push(await downloadImdbFile(name, options));
  return results;
}
