/**
 * TMDB as the rest of the process sees it: the services built over the credentials in
 * force now (environment, else the dashboard's settings), or null while TMDB is off. One
 * rate limiter and one circuit breaker for the whole process, whichever key is in use, so
 * that every caller shares the limit; the client is rebuilt only when the key changes.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import {
  resolveTmdbCredentials,
  type TmdbSettings,
  type TmdbSettingsStore,
  type TmdbStatus,
} from '../settings/tmdb-settings.store.ts';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.ts';
import type { EnrichmentRepository } from './enrichment.repository.ts';
import { createEpisodeEnrichment, type EpisodeEnrichment } from './episode-enrichment.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createTitleEnrichment, type TitleEnrichment } from './title-enrichment.ts';
import { createTmdbClient, type TmdbCallEvent, type TmdbClient } from './tmdb.client.ts';

export interface TmdbProviderDeps {
  tmdb: Config['tmdb'];
  settings: TmdbSettingsStore;
  store: EnrichmentRepository;
  log: Logger;
  observe?: (event: TmdbCallEvent) => void;
  fetch?: typeof fetch;
  /** Replaces the default breaker (tests: a short cooldown). */
  breaker?: CircuitBreaker;
}

export interface TmdbRuntime {
  client: TmdbClient;
  titles: TitleEnrichment;
  episodes: EpisodeEnrichment;
}

export function createTmdbProvider(deps: TmdbProviderDeps) {
  const { tmdb, settings, store, log, observe, fetch } = deps;
  const limiter = createRateLimiter({ perSecond: tmdb.rateLimitPerSecond });
  const breaker = deps.breaker ?? createCircuitBreaker();
  let built: { fingerprint: string; runtime: TmdbRuntime } | null = null;

  return {
    status(): TmdbStatus {
      return resolveTmdbCredentials(tmdb, settings.read()).status;
    },
    /** Saves the owner's settings; the next current() uses them. */
    saveSettings(patch: Partial<TmdbSettings>): TmdbStatus {
      return resolveTmdbCredentials(tmdb, settings.update(patch)).status;
    },
    /** The services for the credentials in force, or null when TMDB is off or not configured. */
    current(): TmdbRuntime | null {
      const { credentials, status } = resolveTmdbCredentials(tmdb, settings.read());
      if (!credentials) return null;
      const fingerprint = credentials.kind === 'bearer' ? `b:${credentials.token}` : `k:${credentials.key}`;
      if (built?.fingerprint !== fingerprint) {
        // Which key is in use, never the key itself.
        const kind = credentials.kind === 'bearer' ? 'read access token' : 'API key';
        log.info(`tmdb: using the ${kind} from ${status.source === 'env' ? 'the environment' : 'the settings'}`);
        const client = createTmdbClient({
          baseUrl: tmdb.apiUrl,
          credentials,
          limiter,
          breaker,
          timeoutMs: tmdb.timeoutMs,
          observe,
          fetch,
        });
        built = {
          fingerprint,
          runtime: {
            client,
            titles: createTitleEnrichment({ client, store }),
            episodes: createEpisodeEnrichment({ client, store }),
          },
        };
      }
      return built.runtime;
    },
  };
}

export type TmdbProvider = ReturnType<typeof createTmdbProvider>;
