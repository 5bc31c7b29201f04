import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to SQLite in the data directory on 127.0.0.1:8080', () => {
    const config = loadConfig({ MEDIACANON_DATA_DIR: '/tmp/mc' });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/tmp/mc',
      database: { dialect: 'sqlite', path: path.join('/tmp/mc', 'mediacanon.db') },
      adminToken: null,
      tmdb: { apiKey: null, accessToken: null, apiUrl: 'https://api.themoviedb.org/3' },
      imdbDatasetsUrl: 'https://datasets.imdbws.com',
      trustProxy: null,
      rateLimitPerMinute: 600,
    });
  });

  it('chooses the dialect from DATABASE_URL, and flags override variables', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/mc' }).database).toEqual({
      dialect: 'pg',
      url: 'postgres://u@db:5432/mc',
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/mc.db' }).database).toEqual({
      dialect: 'sqlite',
      path: '/var/mc.db',
    });
    const flagged = loadConfig(
      { PORT: '1', DATABASE_URL: 'postgres://a/b' },
      { port: '9090', databaseUrl: 'sqlite::memory:' },
    );
    expect(flagged).toMatchObject({ port: 9090, database: { dialect: 'sqlite', path: ':memory:' } });
    expect(loadConfig({ TMDB_API_URL: 'http://127.0.0.1:9999/3/', TRUST_PROXY: 'cloudflare' })).toMatchObject({
      tmdb: { apiUrl: 'http://127.0.0.1:9999/3' },
      trustProxy: 'cloudflare',
    });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '120' }).rateLimitPerMinute).toBe(120);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ TMDB_API_URL: 'ftp://x' }, 'TMDB_API_URL'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ HOST: 'bad host!' }, 'HOST'],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: '1.5' }, 'RATE_LIMIT_PER_MINUTE'],
  ])('stops on %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name}: `));
  });
});
