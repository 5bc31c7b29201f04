import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createFullApp } from '../../test/fuzz/full-app.ts';
import { API_ROUTES, isDocumentedPath, openApiPath } from './api-routes.ts';
import { createOpenApiDocument } from './openapi.ts';

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('lists exactly the API routes the app registers (add an entry to api-routes.ts for a new route)', async () => {
    // Every optional part on (TMDB settings, jobs), so every route that can exist does.
    const full = await createFullApp('sqlite');
    const routes = full.app.routes;
    await full.close();
    const registered = new Set(
      routes.filter((r) => r.method !== 'ALL' && isDocumentedPath(r.path)).map((r) => `${r.method} ${r.path}`),
    );
    const documented = new Set(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    expect([...registered].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r)).sort()).toEqual([]);
    expect(API_ROUTES.length).toBe(documented.size);
  });

  it('is served at /api/openapi.json and is valid OpenAPI 3.1', async () => {
    const res = await t.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const document = await res.json();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes parameters and bodies with the schemas that validate them', () => {
    const document = createOpenApiDocument({ version: '1.0.0' });
    const search = document.paths['/api/titles']?.get as { parameters: { name: string; schema: unknown }[] };
    expect(search.parameters.map((p) => p.name)).toEqual(['q', 'type', 'lang', 'page', 'per_page']);
    expect(search.parameters[1]?.schema).toEqual({ type: 'string', enum: ['movie', 'show'] });
    const create = document.paths['/api/titles']?.post as {
      security: unknown;
      requestBody: { content: { 'application/json': { schema: { required: string[]; properties: object } } } };
    };
    expect(create.security).toEqual([{ adminToken: [] }]);
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['type', 'display_name']));
    expect(Object.keys(body.properties)).toContain('release_date');
    const detail = document.paths['/api/shows/{id}']?.get as { parameters: { name: string; in: string }[] };
    expect(detail.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }));
    // Every path parameter in a path template is declared, and no other.
    for (const route of API_ROUTES) {
      const inPath = [...openApiPath(route.path).matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(route.params ?? {}), route.path).toEqual(inPath);
    }
  });

  it('serves the docs page with a strict CSP, no inline script, and its assets from this server', async () => {
    const res = await t.get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(content?.trim()).toBe('');
      expect(attributes).toMatch(/src="\/static\//);
    }
    for (const [, asset] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const assetRes = await t.get(asset as string);
      expect(assetRes.status, asset).toBe(200);
    }
    // Only the files the page needs are exposed from the package.
    expect((await t.get('/static/docs/swagger-ui/index.html')).status).toBe(404);
    expect((await t.get('/static/docs/swagger-ui/../../../package.json')).status).toBe(404);
  });
});
