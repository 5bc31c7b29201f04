/**
 * /settings: the owner's TMDB settings page (on/off, key entry). The form never shows a
 * stored key, only whether one is set and where it comes from; an empty key field keeps it.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { AppError } from '../http/errors.ts';
import { isOwner } from '../http/owner.ts';
import { paths } from '../http/page-routes.ts';
import type { Views } from '../http/views.ts';
import type { TmdbProvider } from '../tmdb/tmdb.provider.ts';
import { tmdbSettingsBody } from './settings.schemas.ts';

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

export function registerSettingsPages(
  app: Hono,
  { tmdb, views, requireAdmin }: { tmdb: TmdbProvider; views: Views; requireAdmin: MiddlewareHandler },
) {
  const page = (c: Parameters<Views['render']>[0], extra: Record<string, unknown> = {}, status: 200 | 400 = 200) => {
    c.header('Cache-Control', 'no-store');
    return views.render(
      c,
      'settings/index',
      { section: 'settings', title: 'Settings', tmdb: tmdb.status(), error: null, saved: false, ...extra },
      status,
    );
  };

  app.get('/settings', (c) => {
    if (!isOwner(c)) throw new AppError(403, 'auth.owner_only', 'the settings are for the owner only');
    return page(c, { saved: c.req.query('saved') === '1' });
  });

  app.post('/settings', requireAdmin, async (c) => {
    if (!FORM_TYPES.test(c.req.header('content-type') ?? '')) {
      throw new AppError(415, 'request.unsupported_media_type', 'the settings form must be sent as a form');
    }
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const credential = text('credential').trim();
    const remove = text('remove') === 'on';
    // A JWT-looking value is a v4 read token, anything else a v3 key.
    const isToken = credential.includes('.');
    const parsed = tmdbSettingsBody.safeParse({
      enabled: text('enabled') === 'on',
      ...(remove && { api_key: null, access_token: null }),
      ...(!remove &&
        credential &&
        (isToken ? { access_token: credential, api_key: null } : { api_key: credential, access_token: null })),
    });
    if (!parsed.success) {
      return page(c, { error: parsed.error.issues[0]?.message ?? 'invalid settings' }, 400);
    }
    const body = parsed.data;
    tmdb.saveSettings({
      ...(body.enabled !== undefined && { enabled: body.enabled }),
      ...(body.api_key !== undefined && { apiKey: body.api_key }),
      ...(body.access_token !== undefined && { accessToken: body.access_token }),
    });
    return c.redirect(`${paths.settings()}?saved=1`, 303);
  });
}
