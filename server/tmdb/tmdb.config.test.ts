import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

const configError = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('TMDB configuration', () => {
  it('has defaults: 40 requests/s, 5 s timeout, 300 ms view budget', () => {
    expect(loadConfig({}).tmdb).toMatchObject({
      apiKey: null,
      accessToken: null,
      apiUrl: 'https://api.themoviedb.org/3',
      rateLimitPerSecond: 40,
      timeoutMs: 5000,
      enrichBudgetMs: 300,
    });
    expect(
      loadConfig({ TMDB_RATE_LIMIT: '10', TMDB_TIMEOUT_MS: '800', TMDB_ENRICH_BUDGET_MS: '0' }).tmdb,
    ).toMatchObject({
      rateLimitPerSecond: 10,
      timeoutMs: 800,
      enrichBudgetMs: 0,
    });
  });

  it('names the bad variable', () => {
    expect(configError({ TMDB_RATE_LIMIT: '0' })).toMatch(/^TMDB_RATE_LIMIT: must be a whole number from 1 to 1000/);
    expect(configError({ TMDB_RATE_LIMIT: 'fast' })).toMatch(/^TMDB_RATE_LIMIT:/);
    expect(configError({ TMDB_TIMEOUT_MS: '-5' })).toMatch(/^TMDB_TIMEOUT_MS:/);
    expect(configError({ TMDB_API_URL: 'ftp://x' })).toMatch(/^TMDB_API_URL:/);
  });

  it('refuses a malformed key or token without showing it', () => {
    const key = 'not a key secret-value-123';
    const message = configError({ TMDB_API_KEY: key });
    expect(message).toMatch(/^TMDB_API_KEY: must be a TMDB v3 API key/);
    expect(loadConfig({ TMDB_API_KEY: 'test-key' }).tmdb.apiKey).toBe('test-key');
    expect(message).not.toContain('secret-value');
    const token = 'eyJ secret-token\nvalue';
    expect(configError({ TMDB_ACCESS_TOKEN: token })).not.toContain('secret-token');
  });
});
