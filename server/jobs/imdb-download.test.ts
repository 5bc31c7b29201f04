import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadImdbDatasets, downloadImdbFile } from './imdb-download.ts';

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
    put(name: string, content: string) {
      version++;
      files.set(name, {
        body: Buffer.from(content),
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
    expect(fs.readFileSync(path.join(dir, 'title.basics.tsv.gz'), 'utf8')).toBe('v1 title.basics.tsv.gz');

    host.put('title.ratings.tsv.gz', 'v2 ratings');
    const second = await downloadImdbDatasets({ baseUrl, dir });
    expect(second.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'downloaded']);
    expect(host.seen.at(-1)?.['if-none-match']).toBe('"v3"');
    expect(host.seen.at(-1)?.['if-modified-since']).toBeTruthy();
    expect(fs.readFileSync(path.join(dir, 'title.ratings.tsv.gz'), 'utf8')).toBe('v2 ratings');
  });

  it('keeps the previous file and leaves no partial one when a download breaks off', async () => {
    await downloadImdbFile('title.basics.tsv.gz', { baseUrl, dir });
    host.put('title.basics.tsv.gz', 'v2 a much longer body that will be cut in half by the server');
    host.misbehave('truncate');
    await expect(downloadImdbFile('title.basics.tsv.gz', { baseUrl, dir })).rejects.toThrow(DownloadError);
    expect(fs.readFileSync(path.join(dir, 'title.basics.tsv.gz'), 'utf8')).toBe('v1 title.basics.tsv.gz');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

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
