import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect, openTestDatabase } from '../../test/databases.ts';
import { createServer } from '../app.ts';
import { createMemoryLogger } from '../logger.ts';
import { createRepositories } from '../repositories.ts';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

const admin = { authorization: `Bearer ${TEST_TOKEN}` };

describeEachDialect('HTTP middleware in the app', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  const createTitle = async (name: string) => {
    const res = await t.post('/api/titles', { type: 'movie', display_name: name });
    expect(res.status).toBe(201);
    return ((await res.json()) as { title_id: number }).title_id;
  };

  it('tags reads with a weak ETag, answers a matching If-None-Match with 304, and retags a change', async () => {
    const id = await createTitle('Before');
    const first = await t.get(`/api/titles/${id}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect((await t.get(`/api/titles/${id}`)).headers.get('etag')).toBe(etag);

    const notModified = await t.request('GET', `/api/titles/${id}`, undefined, { 'if-none-match': etag ?? '' });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe('public, max-age=60');
    expect(notModified.headers.get('content-type')).toBeNull();
    const listed = await t.request('GET', `/api/titles/${id}`, undefined, { 'if-none-match': `"x", ${etag}` });
    expect(listed.status).toBe(304);

    expect((await t.put(`/api/titles/${id}`, { display_name: 'After' })).status).toBe(200);
    const changed = await t.request('GET', `/api/titles/${id}`, undefined, { 'if-none-match': etag ?? '' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toMatch(/^W\//);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.json()).toMatchObject({ display_name: 'After' });
  });

  it('marks reads public for a minute, and writes and errors private or no-store', async () => {
    const read = await t.get('/api/titles');
    expect(read.headers.get('cache-control')).toBe('public, max-age=60');
    const created = await t.post('/api/titles', { type: 'movie', display_name: 'New' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('private, no-store');
    expect(created.headers.get('etag')).toBeNull();
    const missing = await t.get('/api/titles/999999');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(missing.headers.get('etag')).toBeNull();
    const refused = await t.request('POST', '/api/titles', { type: 'movie', display_name: 'x' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('opens reads to any origin, answers preflights, and gives writes no CORS headers', async () => {
    const origin = { origin: 'https://elsewhere.example' };
    const read = await t.request('GET', '/api/titles', undefined, origin);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    expect(read.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');

    const preflight = await t.request('OPTIONS', '/api/titles', undefined, {
      ...origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'if-none-match',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('If-None-Match');

    const write = await t.request('POST', '/api/titles', { type: 'movie', display_name: 'x' }, { ...origin, ...admin });
    expect(write.status).toBe(201);
    expect(write.headers.get('access-control-allow-origin')).toBeNull();
    const deleted = await t.request('DELETE', '/api/titles/999999', undefined, { ...origin, ...admin });
    expect(deleted.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers with pages, one policy only, and not with the API', async () => {
    const page = await t.get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const missing = await t.get('/no-such-page');
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const api = await t.get('/api/titles');
    expect(api.headers.get('content-security-policy')).toBeNull();
  });

  it('echoes a sane X-Request-Id, replaces a bad one, and names it when logging a failure', async () => {
    const kept = await t.request('GET', '/api/titles', undefined, { 'x-request-id': 'edge-42.a_b' });
    expect(kept.headers.get('x-request-id')).toBe('edge-42.a_b');
    const generated = await t.get('/');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.get('/')).headers.get('x-request-id')).not.toBe(generated.headers.get('x-request-id'));
    for (const bad of ['has space', 'x'.repeat(65), 'a/b', '<script>']) {
      const res = await t.request('GET', '/healthz', undefined, { 'x-request-id': bad });
      expect(res.headers.get('x-request-id'), bad).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(
      (await t.request('GET', '/api/nothing', undefined, { 'x-request-id': 'e1' })).headers.get('x-request-id'),
    ).toBe('e1');

    await t.db.close();
    const failed = await t.request('GET', '/api/titles/12345', undefined, { 'x-request-id': 'trace-500' });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-request-id')).toBe('trace-500');
    expect(t.log.lines.some((line) => line.includes('GET /api/titles/12345 (request trace-500)'))).toBe(true);
  });

  it('refuses a body over 1 MB with a JSON 413, declared or streamed, and accepts one under it', async () => {
    const big = JSON.stringify({ type: 'movie', display_name: 'x'.repeat(1024 * 1024) });
    const streamed = await t.post('/api/titles', big);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ error: expect.stringContaining('larger than'), code: 'request.too_large' });
    const declared = await t.request('POST', '/api/titles', big, {
      ...admin,
      'content-length': String(Buffer.byteLength(big)),
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'request.too_large' });
    // Whitespace is valid JSON: a body just under the limit goes through to the handler.
    const padded = `${JSON.stringify({ type: 'movie', display_name: 'Fits' })}${' '.repeat(1_000_000)}`;
    const fits = await t.post('/api/titles', padded);
    expect(fits.status).toBe(201);
  });
});

describeEachDialect('rate limit in the app', (dialect) => {
  it('limits public requests per address, counting down, and never the admin token', async () => {
    const db = await openTestDatabase(dialect);
    try {
      let address = '192.0.2.1';
      const app = createServer({
        db,
        repositories: createRepositories(db),
        adminToken: TEST_TOKEN,
        log: createMemoryLogger(),
        rateLimitPerMinute: 2,
        clientAddress: () => address,
      });
      const first = await app.request('/api/titles');
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect((await app.request('/')).headers.get('x-ratelimit-remaining')).toBe('0');
      const refused = await app.request('/api/titles');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBe(30);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
      expect(await refused.json()).toMatchObject({ code: 'rate_limit.exceeded' });
      expect((await app.request('/healthz')).status).toBe(200);
      expect((await app.request('/api/titles', { headers: admin })).status).toBe(200);
      address = '192.0.2.2';
      expect((await app.request('/api/titles')).status).toBe(200);
    } finally {
      await db.close();
    }
  });
});
