/**
 * The TMDB settings the owner enters on the dashboard: on/off and a key or read token,
 * kept in <data dir>/settings/tmdb.json with mode 600 (it holds a secret). Environment
 * variables win over the file. Nothing here ever returns the secret to a client: routes
 * and pages get tmdbStatus(), which says only whether and where one is configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { TmdbCredentials } from '../tmdb/tmdb.client.ts';

export interface TmdbSettings {
  enabled: boolean;
  apiKey: string | null;
  accessToken: string | null;
}

export interface TmdbStatus {
  /** TMDB is used: configured and not switched off. */
  enabled: boolean;
  /** A key or token is known, from the environment or the settings file. */
  configured: boolean;
  /** Where the key in use comes from; env wins over the settings file. */
  source: 'env' | 'settings' | null;
}

/**
 * A v3 API key (32 hex characters today) or a v4 read token (a JWT). Checked loosely —
 * TMDB's formats may change — but never a space, control character or non-ASCII: the
 * value goes into a URL or a header.
 */
export const apiKeyFormat = /^[\x21-\x7e]{1,512}$/;
export const accessTokenFormat = /^[\x21-\x7e]{1,4096}$/;

const fileSchema = z.object({
  enabled: z.boolean().default(true),
  apiKey: z.string().regex(apiKeyFormat).nullish().default(null),
  accessToken: z.string().regex(accessTokenFormat).nullish().default(null),
});

const DEFAULTS: TmdbSettings = { enabled: true, apiKey: null, accessToken: null };

export const tmdbSettingsFile = (dataDir: string) => path.join(dataDir, 'settings', 'tmdb.json');

export function createTmdbSettingsStore({
  dataDir,
  onProblem,
}: {
  dataDir: string;
  onProblem?: (message: string) => void;
}) {
  const file = tmdbSettingsFile(dataDir);
  let cached: TmdbSettings | null = null;

  function load(): TmdbSettings {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return { ...DEFAULTS };
    }
    try {
      const parsed = fileSchema.parse(JSON.parse(text));
      return { enabled: parsed.enabled, apiKey: parsed.apiKey ?? null, accessToken: parsed.accessToken ?? null };
    } catch {
      // A hand-edited file gone wrong must not stop the app: TMDB stays off until re-saved.
      onProblem?.(`${file} is not valid TMDB settings; ignoring it (save the settings again to fix it)`);
      return { ...DEFAULTS, enabled: false };
    }
  }

  return {
    file,
    read(): TmdbSettings {
      cached ??= load();
      return { ...cached };
    },
    /** Saves the fields given; a key or token of null removes it. */
    update(patch: Partial<TmdbSettings>): TmdbSettings {
      const next = { ...this.read(), ...patch };
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      fs.chmodSync(temporary, 0o600);
      fs.renameSync(temporary, file);
      cached = next;
      return { ...next };
    },
  };
}

export type TmdbSettingsStore = ReturnType<typeof createTmdbSettingsStore>;

/** Which credentials are in force: the environment's, else the settings file's; a token before a key. */
export function resolveTmdbCredentials(
  env: Pick<Config['tmdb'], 'apiKey' | 'accessToken'>,
  settings: TmdbSettings,
): { credentials: TmdbCredentials | null; status: TmdbStatus } {
  const pick = (token: string | null, key: string | null): TmdbCredentials | null =>
    token ? { kind: 'bearer', token } : key ? { kind: 'api_key', key } : null;
  const fromEnv = pick(env.accessToken, env.apiKey);
  const fromSettings = pick(settings.accessToken, settings.apiKey);
  const credentials = fromEnv ?? fromSettings;
  const status: TmdbStatus = {
    enabled: credentials !== null && settings.enabled,
    configured: credentials !== null,
    source: fromEnv ? 'env' : fromSettings ? 'settings' : null,
  };
  return { credentials: status.enabled ? credentials : null, status };
}
