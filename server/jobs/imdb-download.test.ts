import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadImdbDatasets, downloadImdbFile } from './imdb-download.ts';

const HEADERS: Record<string, string> = {
  'title.basics.tsv.gz':
    'tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres',
  'title.episode.tsv.gz': 'tconst\tparentTconst\tseasonNumber\tepisodeNumber',
  'title.ratings.tsv.gz': 'tconst\taverageRating\tnumVotes',
};

/** A dataset file as IMDb serves it: gzip, the file's header, then `line`. */
const dataset = (name: string, line: string) => gzipSync(`${HEADERS[name]}\n${line}\n`);
/** The line after the header of a downloaded file. */
const lineOf = (file: string) => gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')[1];

/** A datasets host on 127.0.0.1 that honours ETag and If-Modified-Since, and can misbehave. */
function createDatasetsHost() {
  const files = new Map<string, { body: Buffer; etag: string; modified: string }>();
  const seen: http.IncomingHttpHeaders[] = [];
  let mode: 'ok' | 'truncate' | 'error500' = 'ok';
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const file = files.get(req.url?.slice(1) ?? '');
    if (!file) return void res.writeHead(404).end('not found');
    if (mode === 'error500') return void res.writeHead(500).end('oops');
    if (req.headers['if-none-match'] === file.etag || req.headers['if-modified-since'] === file.modified) {
      return void res.writeHead(304).end();
    }
    res.writeHead(200, { 'content-length': file.body.length, etag: file.etag, 'last-modified': file.modified });
    if (mode === 'truncate') {
      res.write(file.body.subarray(0, file.body.length / 2));
      return void setTimeout(() => res.destroy(), 20);
    }
    res.end(file.body);
  });
  let version = 0;
  return {
    seen,
    put(name: string, content: string | Buffer) {
      version++;
      files.set(name, {
        body: typeof content === 'string' ? dataset(name, content) : content,
        etag: `"v${version}"`,
        modified: new Date(version * 1e9).toUTCString(),
      });
    },
    misbehave: (next: typeof mode) => {
      mode = next;
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('IMDb dataset download', () => {
  let host: ReturnType<typeof createDatasetsHost>;
  let baseUrl: string;
  let dir: string;
  beforeEach(async () => {
    host = createDatasetsHost();
    for (const name of ['title.basics.tsv.gz', 'title.episode.tsv.gz', 'title.ratings.tsv.gz'])
      host.put(name, `v1 ${name}`);
    baseUrl = await host.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-download-'));
  });
  afterEach(async () => {
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('downloads the three files, then asks conditionally and keeps unchanged ones', async () => {
    const first = await downloadImdbDatasets({ baseUrl, dir });
    expect(first.map((r) => r.status)).toEqual(['downloaded', 'downloaded', 'downloaded']);
    expect(lineOf(path.join(dir, 'title.basics.tsv.gz'))).toBe('v1 title.basics.tsv.gz');

    host.put('title.ratings.tsv.gz', 'v2 ratings');
    const second = await downloadImdbDatasets({ baseUrl, dir });
    expect(second.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'downloaded']);
    expect(host.seen.at(-1)?.['if-none-match']).toBe('"v3"');
    expect(host.seen.at(-1)?.['if-modified-since']).toBeTruthy();
    expect(lineOf(path.join(dir, 'title.ratings.tsv.gz'))).toBe('v2 ratings');
  });

  it('keeps the previous file and leaves no partial one when a download breaks off', async () => {
    await downloadImdbFile('title.basics.tsv.gz', { baseUrl, dir });
    host.put('title.basics.tsv.gz', 'v2 a much longer body that will be cut in half by the server');
    host.misbehave('truncate');
    await expect(downloadImdbFile('title.basics.tsv.gz', { baseUrl, dir })).rejects.toThrow(DownloadError);
    expect(lineOf(path.join(dir, 'title.basics.tsv.gz'))).toBe('v1 title.basics.tsv.gz');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  // Each served whole, with 200 and a matching Content-Length: only the bytes say what is wrong.
  const broken: [string, string, () => Buffer, RegExp][] = [
    [
      'cut short',
      'title.basics.tsv.gz',
      () => {
        // Random text, so that half the gzip is half the file.
        const whole = dataset('title.basics.tsv.gz', randomBytes(20_000).toString('hex'));
        return whole.subarray(0, whole.length / 2);
      },
      /not a whole gzip file/,
    ],
    [
      'an error page',
      'title.episode.tsv.gz',
      () => Buffer.from('<!DOCTYPE html><title>Oops</title>'),
      /not a whole gzip file/,
    ],
    ['empty', 'title.ratings.tsv.gz', () => Buffer.alloc(0), /not a whole gzip file/],
    [
      'another file',
      'title.ratings.tsv.gz',
      () => gzipSync('nconst\tprimaryName\nnm0000001\tFred Astaire\n'),
      /not IMDb's title.ratings.tsv.gz: its first line has no column tconst, averageRating, numVotes \(it starts "nconst\\tprimaryName"\)/,
    ],
  ];
  for (const [what, name, body, error] of broken) {
    it(`keeps the previous file and its validators when the new one is ${what}`, async () => {
      await downloadImdbFile(name, { baseUrl, dir });
      host.put(name, body());
      await expect(downloadImdbFile(name, { baseUrl, dir })).rejects.toThrow(error);
      expect(lineOf(path.join(dir, name))).toBe(`v1 ${name}`);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
      // Still asked for with the previous file's ETag: fixed on the host, it comes down.
      host.put(name, `v3 ${name}`);
      expect((await downloadImdbFile(name, { baseUrl, dir })).status).toBe('downloaded');
      const [broken, fixed] = host.seen.slice(-2).map((headers) => headers['if-none-match']);
      expect(fixed).toMatch(/^"v\d+"$/);
      expect(fixed).toBe(broken);
      expect(lineOf(path.join(dir, name))).toBe(`v3 ${name}`);
    });
  }

  it('reports HTTP errors and unreachable hosts clearly', async () => {
    host.misbehave('error500');
    await expect(downloadImdbFile('title.basics.tsv.gz', { baseUrl, dir })).rejects.toThrow(/HTTP 500/);
    await expect(downloadImdbFile('nope.tsv.gz', { baseUrl, dir })).rejects.toThrow(/HTTP 500|HTTP 404/);
    // A port nothing listens on any more.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(downloadImdbFile('title.basics.tsv.gz', { baseUrl: deadUrl, dir })).rejects.toThrow(
      new RegExp(`cannot reach ${deadUrl}: ECONNREFUSED`),
    );
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      downloadImdbFile('title.basics.tsv.gz', { baseUrl, dir, signal: controller.signal }),
    ).rejects.toThrow();
    expect(fs.existsSync(path.join(dir, 'title.basics.tsv.gz'))).toBe(false);
  });
});
