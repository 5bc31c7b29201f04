import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestRepositories } from '../../test/databases.ts';
import { createServer } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createMemoryLogger } from '../logger.ts';
import { createEnrichmentRepository } from '../tmdb/enrichment.repository.ts';
import { createTmdbProvider, type TmdbProvider } from '../tmdb/tmdb.provider.ts';
import { createTmdbSettingsStore, tmdbSettingsFile } from './tmdb-settings.store.ts';

const TOKEN = 'settings-admin-token-0123456789';
const KEY = 'abcdef0123456789abcdef0123456789';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ0ZXN0In0.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw';

describe('TMDB settings', () => {
  let t: Awaited<ReturnType<typeof openTestRepositories>>;
  let dataDir: string;
  let tmdb: TmdbProvider;
  let app: ReturnType<typeof createServer>;

  const build = (env: Record<string, string> = {}) => {
    const config = loadConfig({ MEDIACANON_DATA_DIR: dataDir, ...env });
    tmdb = createTmdbProvider({
      tmdb: config.tmdb,
      settings: createTmdbSettingsStore({ dataDir }),
      store: createEnrichmentRepository({ sql: t.db.sql }),
      log: createMemoryLogger(),
    });
    app = createServer({ db: t.db, repositories: t, adminToken: TOKEN, log: createMemoryLogger(), tmdb });
  };
  beforeEach(async () => {
    t = await openTestRepositories('sqlite');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-settings-'));
    build();
  });
  afterEach(async () => {
    t.carousels.stop();
    await t.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const owner = { authorization: `Bearer ${TOKEN}` };
  const put = (body: unknown, headers: Record<string, string> = owner) =>
    app.request('/api/admin/settings/tmdb', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('is for the owner only', async () => {
    expect((await app.request('/api/admin/settings/tmdb')).status).toBe(401);
    expect((await put({ api_key: KEY }, {})).status).toBe(401);
    expect((await app.request('/settings')).status).toBe(403);
    expect(fs.existsSync(tmdbSettingsFile(dataDir))).toBe(false);
  });

  it('stores a key in the data dir with mode 600 and never answers with it', async () => {
    expect(await (await app.request('/api/admin/settings/tmdb', { headers: owner })).json()).toEqual({
      enabled: false,
      configured: false,
      source: null,
    });
    const saved = await put({ api_key: KEY });
    expect(saved.status).toBe(200);
    const text = await saved.text();
    expect(JSON.parse(text)).toEqual({ enabled: true, configured: true, source: 'settings' });
    expect(text).not.toContain(KEY);
    const file = tmdbSettingsFile(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).apiKey).toBe(KEY);
    expect(tmdb.current()).not.toBeNull();

    const page = await (await app.request('/settings', { headers: owner })).text();
    expect(page).toContain('data-tmdb-status="on"');
    expect(page).not.toContain(KEY);
  });

  it('switches TMDB off and on again, keeping the key', async () => {
    await put({ access_token: JWT });
    expect(await (await put({ enabled: false })).json()).toEqual({
      enabled: false,
      configured: true,
      source: 'settings',
    });
    expect(tmdb.current()).toBeNull();
    expect(await (await put({ enabled: true })).json()).toMatchObject({ enabled: true });
    expect(tmdb.current()).not.toBeNull();
    expect(await (await put({ access_token: null })).json()).toEqual({
      enabled: false,
      configured: false,
      source: null,
    });
  });

  it('says the environment key wins and where it comes from', async () => {
    build({ TMDB_API_KEY: KEY });
    await put({ access_token: JWT });
    const status = await (await app.request('/api/admin/settings/tmdb', { headers: owner })).json();
    expect(status).toEqual({ enabled: true, configured: true, source: 'env' });
  });

  it('refuses bad bodies with a 400 and a reason', async () => {
    const bad = [
      { api_key: 'has spaces in it 0123456789' },
      { api_key: 'x'.repeat(513) },
      { access_token: 'line\nbreak' },
      { api_key: 42 },
      { enabled: 'yes' },
      { nope: 1 },
      [],
    ];
    for (const body of bad) {
      const answer = await put(body);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: expect.any(String), code: expect.any(String) });
    }
    const notJson = await app.request('/api/admin/settings/tmdb', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...owner },
      body: '{"api_key":',
    });
    expect(notJson.status).toBe(400);
    expect(fs.existsSync(tmdbSettingsFile(dataDir))).toBe(false);
  });

  it('saves from the settings form and redirects back', async () => {
    const form = new URLSearchParams({ enabled: 'on', credential: KEY });
    const answer = await app.request('/settings', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...owner },
      body: form.toString(),
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/settings?saved=1');
    expect(tmdb.status()).toEqual({ enabled: true, configured: true, source: 'settings' });
    const bad = await app.request('/settings', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...owner },
      body: new URLSearchParams({ enabled: 'on', credential: 'bad key!' }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('must be a TMDB');
  });

  it('treats a corrupt settings file as TMDB off, without crashing', async () => {
    fs.mkdirSync(path.dirname(tmdbSettingsFile(dataDir)), { recursive: true });
    fs.writeFileSync(tmdbSettingsFile(dataDir), '{"apiKey": 42');
    const problems: string[] = [];
    const store = createTmdbSettingsStore({ dataDir, onProblem: (m) => problems.push(m) });
    expect(store.read()).toEqual({ enabled: false, apiKey: null, accessToken: null });
    expect(problems).toHaveLength(1);
  });
});
