/**
 * Checks a dataset file while it downloads: the bytes pass through unchanged and are
 * gunzipped on the side, and the stream fails at its end unless they were one whole gzip
 * file whose first line is the header the importer reads. A file cut short, an error page
 * served with 200, or a file of another format then never replaces the previous one, nor
 * its ETag and Last-Modified (a later conditional request would be answered 304 and keep
 * the broken file for good).
 */
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { basicsFormat, episodesFormat, IMDB_FILES, ratingsFormat } from '../imdb/imdb-files.ts';
import { matchHeader } from '../imdb/tsv.ts';

export class DownloadError extends Error {
  override name = 'DownloadError';
}

/** The columns the importer needs in each file's header (more are fine, as there). */
const HEADER_COLUMNS: Record<string, readonly string[]> = {
  [IMDB_FILES.basics]: basicsFormat().columns,
  [IMDB_FILES.episodes]: episodesFormat().columns,
  [IMDB_FILES.ratings]: ratingsFormat().columns,
};

/** A first line longer than this is no IMDb header. */
const HEAD_LIMIT = 4096;

export function datasetCheck(name: string, url: string): Transform {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  let head = '';
  let headRead = false;
  let failure: Error | null = null;
  gunzip.on('data', (chunk: Buffer) => {
    if (headRead) return;
    head += chunk.toString('latin1', 0, Math.min(chunk.length, HEAD_LIMIT));
    const newline = head.indexOf('\n');
    if (newline !== -1 || head.length >= HEAD_LIMIT) {
      head = head.slice(0, newline === -1 ? HEAD_LIMIT : newline).replace(/\r$/, '');
      headRead = true;
    }
  });
  const ended = new Promise<void>((resolve) => {
    gunzip.once('end', resolve);
    gunzip.once('error', (error) => {
      failure = error;
      resolve();
    });
  });
  const notGzip = () => new DownloadError(`${url}: not a whole gzip file (${failure?.message})`);

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (failure) return callback(notGzip());
      if (gunzip.write(chunk)) return callback(null, chunk);
      // Going on once gunzip has taken it in, or has failed (then 'drain' never comes).
      const go = () => {
        gunzip.off('drain', go);
        gunzip.off('error', go);
        callback(failure ? notGzip() : null, failure ? undefined : chunk);
      };
      gunzip.once('drain', go);
      gunzip.once('error', go);
    },
    flush(callback) {
      gunzip.end();
      void ended.then(() => {
        if (failure) return callback(notGzip());
        const { missing } = matchHeader(head, HEADER_COLUMNS[name] ?? []);
        if (missing.length === 0) return callback();
        callback(
          new DownloadError(
            `${url}: not IMDb's ${name}: its first line has no column ${missing.join(', ')} ` +
              `(it starts ${JSON.stringify(head.slice(0, 60))})`,
          ),
        );
      });
    },
    destroy(error, callback) {
      gunzip.destroy();
      callback(error);
    },
  });
}
