/**
 * GET/PUT /api/admin/settings/tmdb (owner only): TMDB on/off and its key. Answers say
 * whether TMDB is enabled and configured and where the key comes from — never the key.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { parseBody } from '../http/validation.ts';
import type { TmdbProvider } from '../tmdb/tmdb.provider.ts';
import { tmdbSettingsBody } from './settings.schemas.ts';

export function registerSettingsRoutes(
  api: Hono,
  { tmdb, requireAdmin }: { tmdb: TmdbProvider; requireAdmin: MiddlewareHandler },
) {
  api.get('/admin/settings/tmdb', requireAdmin, (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(tmdb.status());
  });

  api.put('/admin/settings/tmdb', requireAdmin, async (c) => {
    const body = await parseBody(c, tmdbSettingsBody);
    const status = tmdb.saveSettings({
      ...(body.enabled !== undefined && { enabled: body.enabled }),
      ...(body.api_key !== undefined && { apiKey: body.api_key }),
      ...(body.access_token !== undefined && { accessToken: body.access_token }),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(status);
  });
}
