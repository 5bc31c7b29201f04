/**
 * The OpenAPI 3.1 document, generated from API_ROUTES and the zod schemas the handlers
 * validate with (z.toJSONSchema on their input side), so the description cannot drift from
 * what the server accepts. Built once per app and kept.
 */
import { z } from 'zod';
import { API_ROUTES, type ApiRoute, openApiPath } from './api-routes.ts';

type JsonSchema = Record<string, unknown>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'code'],
  properties: {
    error: { type: 'string', description: 'what went wrong, for a person' },
    code: { type: 'string', description: 'area.reason, for a program', examples: ['titles.not_found'] },
    fields: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** Input-side JSON Schema of a zod schema, without the $schema line (OpenAPI sets the dialect). */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(route: ApiRoute) {
  const list: JsonSchema[] = [];
  for (const [name, description] of Object.entries(route.params ?? {})) {
    const text = route.textParams?.includes(name);
    list.push({
      name,
      in: 'path',
      required: true,
      description,
      schema: text ? { type: 'string', maxLength: 200 } : { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
    });
  }
  if (route.query) {
    const query = inputSchema(route.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      list.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  return list;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function responses(route: ApiRoute) {
  const { status, description, contentType = 'application/json' } = route.ok;
  const out: Record<string, unknown> = {
    [status]: status === 204 ? { description } : { description, content: { [contentType]: { schema: {} } } },
  };
  if (route.params || route.query || route.body) out['400'] = errorResponse('a malformed id, parameter or body');
  if (route.admin) out['401'] = errorResponse('the admin token is missing or wrong');
  if (route.notFound) out['404'] = errorResponse('no such record');
  if (route.conflict) out['409'] = errorResponse('a duplicate (IMDb id, season or episode number)');
  if (route.body) {
    out['413'] = errorResponse('the body is larger than 1 MB');
    out['415'] = errorResponse('the body is not JSON');
  }
  out['414'] = errorResponse('the path and query are too long');
  if (!route.admin) out['429'] = errorResponse('rate limited: see Retry-After');
  return out;
}

function operation(route: ApiRoute) {
  return {
    operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(\w?)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    ...(route.admin && { security: [{ adminToken: [] }] }),
    ...(route.params || route.query ? { parameters: parameters(route) } : {}),
    ...(route.body && {
      requestBody: {
        required: !route.bodyOptional,
        content: { 'application/json': { schema: inputSchema(route.body) } },
      },
    }),
    responses: responses(route),
  };
}

export function createOpenApiDocument({ version, routes = API_ROUTES }: { version: string; routes?: ApiRoute[] }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MediaCanon API',
      version,
      description:
        'Movie and TV metadata from the IMDb datasets, enriched from TMDB. Reads are public and rate limited ' +
        'per client address; writes need the admin token. Errors are {"error", "code"}.',
    },
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'the admin token' } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof createOpenApiDocument>;
