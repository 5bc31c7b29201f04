/**
 * Enriching one title from TMDB, the same for the backfill job and for a page view: find
 * the TMDB id by IMDb id when it is not known, read the movie or TV details, store them
 * and clear the backfill flag. A title TMDB does not know is marked so it is not asked
 * again. Transient failures (timeouts, 5xx, 429, open circuit) are thrown and leave the
 * title flagged for a later try.
 */
import type { EnrichmentRepository, EnrichmentTitle, TitleDetails } from './enrichment.repository.ts';
import type { TmdbClient } from './tmdb.client.ts';
import { isTmdbError } from './tmdb.errors.ts';
import type { TmdbMovie, TmdbTv } from './tmdb.schemas.ts';

/** The original's poster URL: TMDB's image server at width 500. */
export const posterUrl = (path: string | null) => (path ? `https://image.tmdb.org/t/p/w500${path}` : null);
/** The original's episode still URL (width 400). */
export const stillUrl = (path: string | null) => (path ? `https://image.tmdb.org/t/p/w400${path}` : null);

export type EnrichOutcome = 'enriched' | 'not_found' | 'no_imdb_id';

type Target = { kind: 'movie' | 'tv'; id: number };

const countryOf = (d: TmdbMovie | TmdbTv) => {
  const country = d.origin_country?.[0] ?? d.production_countries?.[0]?.iso_3166_1 ?? null;
  return country && /^[A-Za-z]{2,10}$/.test(country) ? country : null;
};

export function movieDetails(d: TmdbMovie): TitleDetails {
  return {
    tmdbId: d.id,
    imageUrl: posterUrl(d.poster_path),
    originalLanguage: d.original_language,
    releaseDate: d.release_date,
    popularity: d.popularity,
    originCountry: countryOf(d),
    runtimeMinutes: d.runtime,
  };
}

/**
 * A show's runtime stays IMDb's: TMDB's TV details have no runtime (the original read
 * `runtime` from both kinds, so a show kept its own), and episode_run_time is often empty.
 */
export function tvDetails(d: TmdbTv): TitleDetails {
  return {
    tmdbId: d.id,
    imageUrl: posterUrl(d.poster_path),
    originalLanguage: d.original_language,
    releaseDate: d.first_air_date,
    popularity: d.popularity,
    originCountry: countryOf(d),
    runtimeMinutes: null,
  };
}

export function createTitleEnrichment({ client, store }: { client: TmdbClient; store: EnrichmentRepository }) {
  // As the original: a result of the title's own kind first, then any result at all.
  async function resolve(title: EnrichmentTitle): Promise<Target | null> {
    if (title.tmdb_id) return { kind: title.type === 'show' ? 'tv' : 'movie', id: title.tmdb_id };
    const found = await client.findByImdbId(title.imdb_id as string);
    const movie = found.movie_results[0];
    const tv = found.tv_results[0];
    if (title.type === 'show' && tv) return { kind: 'tv', id: tv.id };
    if (title.type === 'movie' && movie) return { kind: 'movie', id: movie.id };
    if (movie) return { kind: 'movie', id: movie.id };
    if (tv) return { kind: 'tv', id: tv.id };
    return null;
  }

  return {
    async enrich(title: EnrichmentTitle): Promise<EnrichOutcome> {
      if (!title.tmdb_id && !title.imdb_id) {
        await store.clearFlag(title.id);
        return 'no_imdb_id';
      }
      if (!title.tmdb_id && !/^tt\d{1,12}$/.test(title.imdb_id ?? '')) {
        await store.markNotFound(title.id);
        return 'not_found';
      }
      try {
        const target = await resolve(title);
        if (!target) {
          await store.markNotFound(title.id);
          return 'not_found';
        }
        const details =
          target.kind === 'tv' ? tvDetails(await client.tv(target.id)) : movieDetails(await client.movie(target.id));
        await store.saveDetails(title.id, details);
        return 'enriched';
      } catch (error) {
        if (!isTmdbError(error, 'not_found')) throw error;
        await store.markNotFound(title.id);
        return 'not_found';
      }
    },
  };
}

export type TitleEnrichment = ReturnType<typeof createTitleEnrichment>;
