/**
 * A size limit for request bodies: a body over `maxBytes` is refused with a 413 in the usual
 * JSON error shape before any handler reads it. A declared Content-Length is checked first;
 * a body without one (chunked) is read here up to the limit and handed on as bytes, because
 * a handler that met the overflow mid-read would report it as bad JSON instead.
 */
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export interface BodyLimitOptions {
  maxBytes?: number;
}

const tooLarge = (maxBytes: number) =>
  new AppError(413, 'request.too_large', `request body is larger than ${maxBytes} bytes`);

async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function bodyLimitMiddleware({ maxBytes = DEFAULT_BODY_LIMIT_BYTES }: BodyLimitOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    // The method first: under @hono/node-server, asking for .body builds a whole Request.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined) {
      if (!/^\d+$/.test(declared) || Number(declared) > maxBytes) throw tooLarge(maxBytes);
      return next();
    }
    const bytes = await readAtMost(raw.body, maxBytes);
    if (!bytes) throw tooLarge(maxBytes);
    c.req.raw = new Request(raw, { body: bytes });
    await next();
  };
}
