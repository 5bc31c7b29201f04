/**
 * Server-rendered pages: Eta templates from templates/, escaped by default (<%= %>), one
 * base layout. Pages get a strict Content-Security-Policy: no inline scripts, no CDNs.
 * Every page sees `paths` (named routes), `names` (language and country names), `owner`
 * (owner-only links and forms) and `section` (which nav entry is current) without each
 * handler passing them.
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { displayNames } from './display-names.ts';
import { isOwner } from './owner.ts';
import { paths } from './page-routes.ts';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

export type Views = ReturnType<typeof createViews>;

/** The nav entries, in order; a page names its own with `section`. */
export type Section = 'home' | 'discover' | 'titles' | 'sync' | 'api' | 'settings' | null;

export function createViews({ dir = TEMPLATES_DIR }: { dir?: string } = {}) {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true });
  return {
    /** Renders `pages/<page>.eta` inside the base layout. */
    render(c: Context, page: string, data: Record<string, unknown>, status: ContentfulStatusCode = 200) {
      c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.header('X-Content-Type-Options', 'nosniff');
      // The owner's pages carry owner-only links and forms; ownerNoStoreMiddleware keeps them private.
      const owner = isOwner(c);
      const html = eta.render(`pages/${page}`, { section: null, ...data, owner, paths, names: displayNames });
      return c.html(html, status);
    },
  };
}
