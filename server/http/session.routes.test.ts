import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { openTestDatabase } from '../../test/databases.ts';
import { adminTokenFile, createAdminTokenStore } from '../admin-token.ts';
import { createServer } from '../app.ts';
import { createMemoryLogger } from '../logger.ts';
import { createRepositories } from '../repositories.ts';
import { localPath } from './session.routes.ts';

const SITE = 'http://localhost';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };
const movie = JSON.stringify({ type: 'movie', display_name: 'Signed-in write' });

type App = { request: (input: string, init?: RequestInit) => Response | Promise<Response> };

async function signIn(app: App, token = TEST_TOKEN, url = `${SITE}/auth/sign-in`) {
  const minted = await app.request('/api/admin/sign-in-tokens', { method: 'POST', headers: bearer(token) });
  expect(minted.status).toBe(201);
  const link = (await minted.json()) as { token: string; path: string; expires_in: number };
  const res = await app.request(`${url}?token=${encodeURIComponent(link.token)}`);
  const cookie = /^(mc_session=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  return { link, res, cookie, minted };
}

describe('owner sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp('sqlite');
  });
  afterEach(() => t.close());

  it('exchanges a one-time token for an HttpOnly, SameSite=Strict session cookie', async () => {
    const { link, res, cookie, minted } = await signIn(t.app);
    expect(minted.headers.get('cache-control')).toBe('private, no-store');
    expect(link).toEqual({ token: expect.any(String), path: `/auth/sign-in?token=${link.token}`, expires_in: 120 });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toMatch(
      /^mc_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(res.headers.get('cache-control')).toContain('no-store');

    const write = await t.app.request('/api/titles', {
      method: 'POST',
      headers: { ...json, cookie, origin: SITE },
      body: movie,
    });
    expect(write.status).toBe(201);
    expect(write.headers.get('cache-control')).toBe('private, no-store');
  });

  it('refuses a used, unknown or missing token with the reason', async () => {
    const { link } = await signIn(t.app);
    const again = await t.app.request(`/auth/sign-in?token=${link.token}`, { headers: { accept: 'text/html' } });
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('already been used');
    const unknown = await t.request('GET', '/auth/sign-in?token=nope');
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('not valid');
    expect((await t.request('GET', '/auth/sign-in')).status).toBe(400);
  });

  it('marks the cookie Secure over https, and goes on to a local next path only', async () => {
    const { res } = await signIn(t.app, TEST_TOKEN, 'https://owner.example/auth/sign-in');
    expect(res.headers.get('set-cookie')).toContain('; Secure');
    const minted = await t.post('/api/admin/sign-in-tokens', {});
    const { token } = (await minted.json()) as { token: string };
    const next = await t.request('GET', `/auth/sign-in?token=${token}&next=${encodeURIComponent('/sync?x=1')}`);
    expect(next.headers.get('location')).toBe('/sync?x=1');
    for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'sync', '/a\nb']) {
      expect(() => localPath(bad), bad).toThrow(expect.objectContaining({ code: 'auth.invalid_next' }));
    }
    const refused = await t.request('GET', `/auth/sign-in?token=x&next=${encodeURIComponent('//evil.example')}`);
    expect(refused.status).toBe(400);
  });

  it('does not spend the link on a HEAD, nor through a proxy or the tunnel', async () => {
    const minted = await t.post('/api/admin/sign-in-tokens', {});
    const { path } = (await minted.json()) as { path: string };
    expect((await t.request('HEAD', path)).status).toBe(204);
    for (const header of ['cf-connecting-ip', 'x-forwarded-for']) {
      const proxied = await t.request('GET', path, undefined, { [header]: '203.0.113.9' });
      expect(proxied.status).toBe(403);
      expect(proxied.headers.get('set-cookie')).toBeNull();
    }
    const local = await t.request('GET', path);
    expect(local.status).toBe(303);
  });

  it('mints sign-in links for the bearer token only, never for a session or the public', async () => {
    expect((await t.request('POST', '/api/admin/sign-in-tokens')).status).toBe(401);
    const { cookie } = await signIn(t.app);
    const bySession = await t.request('POST', '/api/admin/sign-in-tokens', undefined, { cookie, origin: SITE });
    expect(bySession.status).toBe(401);
  });

  it('keeps owner reads out of caches and out of the rate limit', async () => {
    const { cookie } = await signIn(t.app);
    const read = await t.request('GET', '/api/titles', undefined, { cookie });
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('private, no-store');
    expect(read.headers.get('etag')).toBeNull();
    expect(read.headers.get('x-ratelimit-limit')).toBeNull();
    const page = await t.request('GET', '/', undefined, { cookie });
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const style = await t.request('GET', '/static/css/app.css', undefined, { cookie });
    expect(style.status).toBe(200);
    expect(style.headers.get('cache-control') ?? '').not.toContain('no-store');
    const publicRead = await t.get('/api/titles');
    expect(publicRead.headers.get('cache-control')).toBe('public, max-age=60');
    expect(publicRead.headers.get('x-ratelimit-limit')).not.toBeNull();
  });

  it('signs out: the cookie is cleared and stops working', async () => {
    const { cookie } = await signIn(t.app);
    const out = await t.request('POST', '/auth/sign-out', undefined, { cookie, origin: SITE });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^mc_session=; Max-Age=0; Path=\//);
    const write = await t.app.request('/api/titles', {
      method: 'POST',
      headers: { ...json, cookie, origin: SITE },
      body: movie,
    });
    expect(write.status).toBe(401);
  });
});

describe('CSRF for cookie-authenticated writes', () => {
  let t: TestApp;
  let cookie: string;
  beforeEach(async () => {
    t = await createTestApp('sqlite');
    ({ cookie } = await t.signInOwner());
  });
  afterEach(() => t.close());

  const write = (headers: Record<string, string>) =>
    t.app.request('/api/titles', { method: 'POST', headers: { ...json, ...headers }, body: movie });

  it('refuses a cross-site form post', async () => {
    const res = await write({ cookie, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'auth.csrf', error: expect.stringContaining('evil.example') });
    expect((await write({ cookie, origin: 'null' })).status).toBe(403);
    expect((await write({ cookie, referer: 'https://evil.example/page' })).status).toBe(403);
  });

  it('refuses a cookie-authenticated write with neither Origin nor Referer', async () => {
    const res = await write({ cookie });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'auth.csrf', error: expect.stringContaining('neither Origin') });
  });

  it('accepts the same origin, or a same-origin Referer when Origin is absent', async () => {
    expect((await write({ cookie, origin: SITE })).status).toBe(201);
    expect((await write({ cookie, referer: `${SITE}/titles/new` })).status).toBe(201);
  });

  it('exempts bearer-token requests, which no browser sends on its own', async () => {
    expect((await write({ ...bearer(TEST_TOKEN), origin: 'https://elsewhere.example' })).status).toBe(201);
    expect((await write(bearer(TEST_TOKEN))).status).toBe(201);
  });

  it('leaves requests with no proof at all to the 401', async () => {
    expect((await write({ origin: 'https://evil.example' })).status).toBe(401);
  });
});

describe('admin token rotation over HTTP', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-rotate-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('returns the new token once; the old token and every session stop working', async () => {
    const db = await openTestDatabase('sqlite');
    try {
      const tokens = createAdminTokenStore({ adminToken: null, dataDir });
      const app = createServer({
        db,
        repositories: createRepositories(db),
        adminToken: tokens,
        log: createMemoryLogger(),
      });
      const old = fs.readFileSync(adminTokenFile(dataDir), 'utf8').trim();
      const { cookie } = await signIn(app, old);
      const rotated = await app.request('/api/admin/token/rotate', { method: 'POST', headers: bearer(old) });
      expect(rotated.status).toBe(200);
      expect(rotated.headers.get('cache-control')).toBe('private, no-store');
      const { token } = (await rotated.json()) as { token: string };
      expect(token).not.toBe(old);
      expect(fs.readFileSync(adminTokenFile(dataDir), 'utf8').trim()).toBe(token);
      const write = (headers: Record<string, string>) =>
        app.request('/api/titles', { method: 'POST', headers: { ...json, ...headers }, body: movie });
      expect((await write(bearer(old))).status).toBe(401);
      expect((await write({ cookie, origin: SITE })).status).toBe(401);
      expect((await write(bearer(token))).status).toBe(201);
    } finally {
      await db.close();
    }
  });

  it('refuses with the reason when the token comes from ADMIN_TOKEN', async () => {
    const t = await createTestApp('sqlite');
    try {
      expect((await t.request('POST', '/api/admin/token/rotate')).status).toBe(401);
      const res = await t.post('/api/admin/token/rotate', {});
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'auth.token_from_environment' });
    } finally {
      await t.close();
    }
  });
});
