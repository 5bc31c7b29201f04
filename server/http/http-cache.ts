/**
 * HTTP caching for the JSON API. Successful reads get a weak ETag (a hash of the body: the
 * same JSON, the same tag, whichever query produced it) and `public, max-age=60`; a request
 * whose If-None-Match names the current tag gets a 304 without a body. Writes and errors are
 * `private, no-store` (errors.ts already marks errors no-store; a value set by a handler is
 * kept). Owner responses are never tagged or made public (owner.ts marks them private), and
 * an event stream is never read to hash it. No Vary is needed: public responses depend on
 * neither Origin (CORS answers "*"), nor Accept-Encoding (nothing is compressed here), nor
 * credentials (owner responses are never stored).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isOwner } from './owner.ts';

export interface HttpCacheOptions {
  /** Cache-Control for successful reads. */
  readCacheControl?: string;
  /** Cache-Control for writes and for errors that did not set their own. */
  noStoreCacheControl?: string;
}

/** Text is hashed as its UTF-8 bytes: the same tag as the bytes on the wire. */
export function weakEtag(body: ArrayBuffer | Uint8Array | string): string {
  const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  return `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

let cacheSymbol: symbol | undefined;

/**
 * The body as the handler made it, when it is still at hand: @hono/node-server's lightweight
 * Response keeps the string from c.json() under a symbol named "cache" and writes it to the
 * socket as it is, unless something reads the body first — which turns it into a stream and
 * back, the larger part of what an ETag cost (bench:api --phases middleware). Undefined when
 * not at hand (app.request() in tests, streamed bodies): the body is then read as usual.
 */
function bodyAtHand(res: Response): string | Uint8Array | null | undefined {
  cacheSymbol ??= Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
  const cache = cacheSymbol ? (res as unknown as Record<symbol, unknown>)[cacheSymbol] : undefined;
  if (!Array.isArray(cache)) return undefined;
  const body: unknown = cache[1];
  return body === null || typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Weak comparison (RFC 9110 section 13.1.2): If-None-Match ignores the W/ prefix. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => opaque(candidate) === opaque(etag));
}

export function httpCacheMiddleware({
  readCacheControl = 'public, max-age=60',
  noStoreCacheControl = 'private, no-store',
}: HttpCacheOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // The owner's answers get no ETag; ownerNoStoreMiddleware (outside this one) makes them private.
    if (isOwner(c)) return;
    if (c.res.headers.get('Content-Type')?.startsWith('text/event-stream')) {
      c.res.headers.set('Cache-Control', 'private, no-store');
      return;
    }
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    const ok = c.res.status >= 200 && c.res.status < 300;
    if (!c.res.headers.has('Cache-Control')) {
      c.res.headers.set('Cache-Control', read && ok ? readCacheControl : noStoreCacheControl);
    }
    if (!read || c.res.status !== 200) return;

    const tagged = c.res.headers.get('ETag');
    const atHand = tagged ? undefined : bodyAtHand(c.res);
    if (atHand === null || (atHand === undefined && !tagged && !c.res.body)) return;
    // Otherwise read once and put back as bytes: cheaper than clone() and its stream tee.
    const body = tagged || atHand !== undefined ? null : await c.res.arrayBuffer();
    const etag = tagged ?? weakEtag(atHand ?? (body as ArrayBuffer));
    c.res.headers.set('ETag', etag);
    if (!etagMatches(c.req.header('if-none-match'), etag)) {
      if (body) {
        const { status, headers } = c.res;
        c.res = undefined;
        c.res = new Response(body, { status, headers });
      }
      return;
    }
    const headers = new Headers(c.res.headers);
    headers.delete('Content-Type');
    headers.delete('Content-Length');
    // Cleared first: assigning over a response would copy its headers back onto the 304.
    c.res = undefined;
    c.res = new Response(null, { status: 304, headers });
  };
}
