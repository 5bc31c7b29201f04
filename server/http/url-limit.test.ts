import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from './errors.ts';
import { urlLimitMiddleware } from './url-limit.ts';

function app(maxLength?: number) {
  const hono = new Hono();
  registerErrorHandling(hono, { log: () => {} });
  hono.use(urlLimitMiddleware({ maxLength }));
  hono.get('/api/titles', (c) => c.json({ ok: true }));
  return hono;
}

describe('urlLimitMiddleware', () => {
  it('answers 414 in the JSON error shape past the limit, counting path and query', async () => {
    const limited = app(100);
    const atLimit = `/api/titles?q=${'a'.repeat(100 - '/api/titles?q='.length)}`;
    expect(atLimit).toHaveLength(100);
    expect((await limited.request(atLimit)).status).toBe(200);
    const res = await limited.request(`${atLimit}b`);
    expect(res.status).toBe(414);
    expect(await res.json()).toEqual({
      error: 'the request path and query are longer than 100 characters',
      code: 'request.uri_too_long',
    });
  });

  it('defaults to 4096 characters', async () => {
    expect((await app().request(`/api/titles?q=${'x'.repeat(4000)}`)).status).toBe(200);
    expect((await app().request(`/api/titles?q=${'x'.repeat(4100)}`)).status).toBe(414);
  });
});
