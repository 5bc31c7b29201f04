/**
 * Episode stills, air dates, runtimes and synopses for a show, fetched when the show is
 * viewed (the original's lazy fetch): only episodes still missing one of them, several in
 * parallel, at most once per 24 hours per show (titles.episodes_checked_at).
 *
 * The original's fallback: some shows are one long season on TMDB while IMDb splits them.
 * When every episode asked for in one of our seasons (other than 1) is a 404, each is asked
 * again as TMDB season 1, episode (episodes in our earlier seasons + its number).
 */
import { publicImageUrl } from '../http/json.ts';
import type { EnrichmentEpisode, EnrichmentRepository, EpisodeDetails } from './enrichment.repository.ts';
import { stillUrl } from './title-enrichment.ts';
import type { TmdbClient } from './tmdb.client.ts';
import { isTmdbError } from './tmdb.errors.ts';
import type { TmdbEpisode } from './tmdb.schemas.ts';

export const EPISODES_COOLDOWN_MS = 24 * 60 * 60 * 1000;

export interface EpisodePassResult {
  asked: number;
  stored: number;
  notFound: number;
  failed: number;
  /** Answered from TMDB's season 1 by absolute number. */
  flatSeason: number;
}

type Answer = { status: 'ok'; episode: TmdbEpisode } | { status: 'not_found' } | { status: 'failed'; error: unknown };

export const episodeLacksData = (e: EnrichmentEpisode) =>
  !publicImageUrl(e.image_url) || !e.air_date || !e.runtime_minutes || !e.synopsis;

const toDetails = (e: TmdbEpisode): EpisodeDetails => ({
  name: e.name,
  synopsis: e.overview,
  imageUrl: stillUrl(e.still_path),
  airDate: e.air_date,
  runtimeMinutes: e.runtime,
});

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of results. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function createEpisodeEnrichment({
  client,
  store,
  concurrency = 5,
  cooldownMs = EPISODES_COOLDOWN_MS,
  now = () => Date.now(),
}: {
  client: TmdbClient;
  store: EnrichmentRepository;
  concurrency?: number;
  cooldownMs?: number;
  now?: () => number;
}) {
  const ask = async (tvId: number, season: number, episode: number): Promise<Answer> => {
    try {
      return { status: 'ok', episode: await client.episode(tvId, season, episode) };
    } catch (error) {
      if (isTmdbError(error, 'not_found')) return { status: 'not_found' };
      return { status: 'failed', error };
    }
  };

  return {
    /** True when the show's episodes were checked less than 24 hours ago. */
    coolingDown(checkedAt: string | null): boolean {
      return checkedAt !== null && now() - Date.parse(checkedAt) < cooldownMs;
    },

    async enrichShow(show: { id: number; tmdb_id: number }): Promise<EpisodePassResult> {
      const all = await store.showEpisodes(show.id);
      const wanted = all.filter(episodeLacksData);
      const answers = await mapLimit(wanted, concurrency, (e) => ask(show.tmdb_id, e.season_number, e.episode_number));

      const offsets = new Map<number, number>();
      let before = 0;
      for (const e of all) {
        if (!offsets.has(e.season_number)) offsets.set(e.season_number, before);
        before++;
      }
      const seasonMissing = (season: number) =>
        season !== 1 && wanted.every((e, i) => e.season_number !== season || answers[i]?.status === 'not_found');
      const retry = wanted.flatMap((e, i) =>
        answers[i]?.status === 'not_found' && seasonMissing(e.season_number) ? [i] : [],
      );
      let flatSeason = 0;
      await mapLimit(retry, concurrency, async (i) => {
        const e = wanted[i] as EnrichmentEpisode;
        const answer = await ask(show.tmdb_id, 1, (offsets.get(e.season_number) ?? 0) + e.episode_number);
        if (answer.status === 'ok') {
          answers[i] = answer;
          flatSeason++;
        }
      });

      const result: EpisodePassResult = { asked: wanted.length, stored: 0, notFound: 0, failed: 0, flatSeason };
      for (const [i, answer] of answers.entries()) {
        if (answer.status === 'ok') {
          await store.saveEpisode((wanted[i] as EnrichmentEpisode).episode_id, toDetails(answer.episode));
          result.stored++;
        } else if (answer.status === 'not_found') result.notFound++;
        else result.failed++;
      }
      // Checked once TMDB gave any real answer: a pass where TMDB was down is tried again
      // at the next view instead of waiting a day.
      if (wanted.length === 0 || result.stored + result.notFound > 0) await store.markEpisodesChecked(show.id);
      const refused = answers.find((a) => a.status === 'failed' && isTmdbError(a.error, 'unauthorized'));
      if (refused?.status === 'failed') throw refused.error;
      return result;
    },
  };
}

export type EpisodeEnrichment = ReturnType<typeof createEpisodeEnrichment>;
