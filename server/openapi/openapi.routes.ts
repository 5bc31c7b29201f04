/**
 * GET /api/openapi.json (the generated document) and GET /api/docs (Swagger UI over it).
 * Swagger UI's files come from the swagger-ui-dist package, served here under /static/docs/,
 * so the page loads nothing from another origin and keeps a strict CSP: the page's one
 * script of its own is static/docs/docs.js, never inline.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { createOpenApiDocument } from './openapi.ts';

const SWAGGER_UI_ROOT = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_PREFIX = '/static/docs/swagger-ui';
// Only what the page loads: the package also holds source maps and an index.html.
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

/** Swagger UI sets styles from script (allowed) and uses data: images for its icons. */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MediaCanon API</title>
<link rel="stylesheet" href="${SWAGGER_UI_PREFIX}/swagger-ui.css">
<link rel="icon" href="${SWAGGER_UI_PREFIX}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-spec-url="/api/openapi.json"></div>
<script src="${SWAGGER_UI_PREFIX}/swagger-ui-bundle.js" defer></script>
<script src="/static/docs/docs.js" defer></script>
</body>
</html>
`;

function appVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function registerOpenApiRoutes(app: Hono) {
  let document: string | null = null;
  app.get('/api/openapi.json', (c) => {
    document ??= JSON.stringify(createOpenApiDocument({ version: appVersion() }));
    return c.body(document, 200, { 'Content-Type': 'application/json' });
  });

  app.get('/api/docs', (c) =>
    c.html(DOCS_PAGE, 200, {
      'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    }),
  );

  app.use(`${SWAGGER_UI_PREFIX}/*`, async (c, next) => {
    if (!SWAGGER_UI_FILES.has(c.req.path.slice(SWAGGER_UI_PREFIX.length + 1))) return next();
    return serveStatic({
      root: SWAGGER_UI_ROOT,
      rewriteRequestPath: (p) => p.slice(SWAGGER_UI_PREFIX.length),
    })(c, next);
  });
}
