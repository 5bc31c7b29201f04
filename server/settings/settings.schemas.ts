/** What the owner may send to change the TMDB settings (JSON API and the settings form). */
import { z } from 'zod';
import { accessTokenFormat, apiKeyFormat } from './tmdb-settings.store.ts';

/** A key or token; empty or null removes the stored one. */
const secret = (format: RegExp, what: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v))
    .pipe(z.string().regex(format, `must be a TMDB ${what}`).nullable())
    .nullable()
    .optional();

export const tmdbSettingsBody = z
  .object({
    enabled: z.boolean().optional(),
    api_key: secret(apiKeyFormat, 'v3 API key (no spaces or control characters, at most 512)'),
    access_token: secret(accessTokenFormat, 'v4 read access token (no spaces or control characters)'),
  })
  .strict();

export type TmdbSettingsBody = z.output<typeof tmdbSettingsBody>;
