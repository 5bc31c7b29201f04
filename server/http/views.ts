/**
 * Server-rendered pages: Eta templates from templates/, escaped by default (<%= %>), one
 * base layout. Pages get a strict Content-Security-Policy: no inline scripts, no CDNs.
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'hono';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

export type Views = ReturnType<typeof createViews>;

export function createViews({ dir = TEMPLATES_DIR }: { dir?: string } = {}) {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true });
  return {
    /** Renders `pages/<page>.eta` inside the base layout. */
    render(c: Context, page: string, data: Record<string, unknown>, status: 200 | 404 = 200) {
      c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.html(eta.render(`pages/${page}`, data), status);
    },
  };
}
