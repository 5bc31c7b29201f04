/**
 * Enrichment when a movie or show is viewed (API and pages): a missing poster, a pending
 * backfill, a show's episodes still lacking data. The request waits for it at most
 * `budgetMs`; the work carries on in the background and is stored for the next view. One
 * run per title at a time: concurrent views of the same title share it.
 */
import { publicImageUrl } from '../http/json.ts';
import type { Logger } from '../logger.ts';
import type { EnrichmentRepository, EnrichmentTitle } from './enrichment.repository.ts';
import type { EpisodeEnrichment } from './episode-enrichment.ts';
import type { TitleEnrichment } from './title-enrichment.ts';

export const DEFAULT_ENRICH_BUDGET_MS = 300;

export interface TmdbServices {
  titles: TitleEnrichment;
  episodes: EpisodeEnrichment;
}

/** What a route knows of the title it is about to answer with. */
export interface ViewedTitle {
  title_id: number;
  type: 'movie' | 'show';
  image_url: string | null;
  needs_backfill_tmdb: boolean;
  episodes_checked_at: string | null;
}

export interface OnDemandEnrichment {
  /**
   * Starts what the title lacks and waits at most the budget. True when something was
   * stored in time: the caller reads the title again to answer with it.
   */
  settle(title: ViewedTitle): Promise<boolean>;
  /** Resolves when no background run is left (tests, shutdown). */
  idle(): Promise<void>;
}

export const noOnDemandEnrichment: OnDemandEnrichment = { settle: async () => false, idle: async () => {} };

export interface OnDemandDeps {
  /** The TMDB services as configured now; null while TMDB is off or has no key. */
  services: () => TmdbServices | null;
  store: EnrichmentRepository;
  log: Logger;
  budgetMs?: number;
  /** After a failed run a title is left alone this long (TMDB is down or refuses the key). */
  retryAfterFailureMs?: number;
  now?: () => number;
}

export function createOnDemandEnrichment({
  services,
  store,
  log,
  budgetMs = DEFAULT_ENRICH_BUDGET_MS,
  retryAfterFailureMs = 60_000,
  now = () => Date.now(),
}: OnDemandDeps): OnDemandEnrichment {
  const running = new Map<number, Promise<boolean>>();
  const failedAt = new Map<number, number>();

  const titleDue = (t: EnrichmentTitle) =>
    !t.tmdb_not_found_at &&
    (t.imdb_id !== null || t.tmdb_id !== null) &&
    (t.needs_backfill_tmdb || (!publicImageUrl(t.image_url) && t.tmdb_id === null));

  async function run(tmdb: TmdbServices, titleId: number): Promise<boolean> {
    let title = await store.title(titleId);
    if (!title) return false;
    let changed = false;
    if (titleDue(title)) {
      changed = (await tmdb.titles.enrich(title)) !== 'no_imdb_id';
      title = (await store.title(titleId)) ?? title;
    }
    if (title.type === 'show' && title.tmdb_id && !title.tmdb_not_found_at) {
      if (!tmdb.episodes.coolingDown(title.episodes_checked_at)) {
        const pass = await tmdb.episodes.enrichShow({ id: title.id, tmdb_id: title.tmdb_id });
        changed ||= pass.stored > 0;
      }
    }
    return changed;
  }

  // Decided from what the route already loaded, without a query, in the common case.
  const mayNeedWork = (t: ViewedTitle, tmdb: TmdbServices) =>
    t.needs_backfill_tmdb ||
    !publicImageUrl(t.image_url) ||
    (t.type === 'show' && !tmdb.episodes.coolingDown(t.episodes_checked_at));

  return {
    async settle(viewed) {
      const tmdb = services();
      if (!tmdb || !mayNeedWork(viewed, tmdb)) return false;
      const id = viewed.title_id;
      if (now() - (failedAt.get(id) ?? Number.NEGATIVE_INFINITY) < retryAfterFailureMs) return false;
      let job = running.get(id);
      if (!job) {
        job = run(tmdb, id)
          .catch((error: unknown) => {
            // An outage fails every title viewed: forget the old failures, keep the map small.
            if (failedAt.size > 10_000) {
              for (const [title, at] of failedAt) if (now() - at >= retryAfterFailureMs) failedAt.delete(title);
            }
            failedAt.set(id, now());
            log.warn(`tmdb: enriching title ${id} failed: ${(error as Error).message ?? String(error)}`);
            return false;
          })
          .finally(() => running.delete(id));
        running.set(id, job);
      }
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), budgetMs);
      });
      try {
        return await Promise.race([job, budget]);
      } finally {
        clearTimeout(timer);
      }
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
