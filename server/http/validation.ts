/**
 * Request validation, wrapped once: zod schemas for query strings, bodies and path ids,
 * each failure a 400 naming the field. No handler parses input by hand.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError, badRequest, type FieldIssue } from './errors.ts';

const MAX_ID = 2_147_483_647;

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
}

function fail(code: string, what: string, error: z.ZodError): never {
  const fields = issuesOf(error);
  const first = fields[0];
  const message = first ? `${first.field}: ${first.message}` : `invalid ${what}`;
  throw badRequest(code, message, fields);
}

/** A positive integer path parameter, e.g. `/api/titles/{id}`. */
export function parseId(c: Context, name = 'id'): number {
  const raw = c.req.param(name) ?? '';
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) {
    throw badRequest('request.invalid_id', `${name} must be a positive integer`, [
      { field: name, message: 'must be a positive integer' },
    ]);
  }
  return id;
}

// No request body nests deeper than a few levels; a deeply nested one (a megabyte of "[")
// would overflow the stack of every recursive walk after JSON.parse, zod's included.
const MAX_DEPTH = 32;

/**
 * Checks a parsed body or query before zod sees it, without recursion: nesting depth, and
 * NUL characters (PostgreSQL text cannot hold NUL, and no real name contains one).
 */
function refuseOddInput(value: unknown, code: string) {
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value: inner, path } = item;
    if (typeof inner === 'string' && inner.includes('\u0000')) {
      const field = path.join('.') || '(body)';
      throw badRequest(code, `${field}: must not contain NUL characters`, [
        { field, message: 'must not contain NUL characters' },
      ]);
    }
    if (inner && typeof inner === 'object') {
      if (path.length >= MAX_DEPTH) {
        throw badRequest(code, `nested more than ${MAX_DEPTH} levels deep`, [
          { field: path.slice(0, 3).join('.') || '(body)', message: `nested more than ${MAX_DEPTH} levels deep` },
        ]);
      }
      for (const [key, next] of Object.entries(inner).reverse()) pending.push({ value: next, path: [...path, key] });
    }
  }
}

/** Query parameters; a parameter repeated takes its first value. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = c.req.query();
  refuseOddInput(query, 'request.invalid_query');
  const result = schema.safeParse(query);
  if (!result.success) fail('request.invalid_query', 'query', result.error);
  return result.data;
}

export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError(415, 'request.unsupported_media_type', 'body must be application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw badRequest('request.invalid_json', 'body is not valid JSON');
  }
  refuseOddInput(body, 'request.invalid_body');
  const result = schema.safeParse(body);
  if (!result.success) fail('request.invalid_body', 'body', result.error);
  return result.data;
}

/** Integer query parameter given as text: absent → undefined, anything but digits → error. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional();

/**
 * How deep a list may be paged: page × page size stays within this many rows. An OFFSET
 * makes the database walk every row before it, so without a cap one request for page
 * 10,000,000 reads the whole catalogue. Past the cap the answer is a 400 naming the
 * deepest page; narrower filters reach the rest.
 */
export const MAX_RESULT_WINDOW = 10_000;

/** A superRefine for a query with a page number and a page size (both already numbers). */
export const withinResultWindow =
  <K extends string, S extends string>(pageKey: K, sizeKey: S) =>
  (query: { [P in K | S]?: number }, ctx: z.RefinementCtx) => {
    const page = query[pageKey] ?? 1;
    const size = query[sizeKey] ?? 1;
    if (page * size > MAX_RESULT_WINDOW) {
      const deepest = Math.max(1, Math.floor(MAX_RESULT_WINDOW / size));
      ctx.addIssue({
        code: 'custom',
        path: [pageKey],
        message: `must be at most ${deepest} with ${sizeKey}=${size} (results stop at ${MAX_RESULT_WINDOW} rows; narrow the filters)`,
      });
    }
  };
