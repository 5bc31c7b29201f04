/**
 * The parts of TMDB's answers we use, as zod schemas (shapes from TMDB's OpenAPI document,
 * shared/data/tmdb/openapi.json). Structure is strict — an id that is not a number, a list
 * that is not a list, makes the answer malformed — while values TMDB leaves empty or sends
 * out of range ("" dates, null paths, runtime 0) become null, so nothing odd is stored.
 */
import { z } from 'zod';

/** "" and null mean "unknown" in TMDB answers. */
const text = z
  .string()
  .nullish()
  .transform((v) => (v ? v : null));

/** An image path as TMDB gives it: "/abc.jpg". Anything else is no image. */
const imagePath = text.transform((v) => (v && /^\/[\w.-]{1,200}$/.test(v) ? v : null));

// The catalogue only holds dates from 1800 to 2200 (see http validation); others are unknown.
const date = text.transform((v) => {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const year = Number(v.slice(0, 4));
  const parsed = new Date(`${v}T00:00:00Z`);
  return year >= 1800 && year <= 2200 && parsed.toISOString().startsWith(v) ? v : null;
});

/** Language and country codes fit the catalogue's varchar(10). */
const code = text.transform((v) => (v && /^[A-Za-z-]{2,10}$/.test(v) ? v : null));

const minutes = z
  .number()
  .nullish()
  .transform((v) => (v && Number.isFinite(v) && v > 0 && v < 100_000 ? Math.round(v) : null));

const popularity = z
  .number()
  .nullish()
  // 0 is what TMDB sends when it has no figure: the stored value is kept, as the original did.
  .transform((v) => (v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null));

const tmdbId = z.number().int().positive();

const findMovie = z.object({ id: tmdbId, poster_path: imagePath });
const findTv = z.object({ id: tmdbId, poster_path: imagePath });

export const findSchema = z.object({
  movie_results: z
    .array(findMovie)
    .nullish()
    .transform((v) => v ?? []),
  tv_results: z
    .array(findTv)
    .nullish()
    .transform((v) => v ?? []),
});

const countries = z.array(z.string()).nullish();
const productionCountries = z.array(z.object({ iso_3166_1: z.string() }).loose()).nullish();

export const movieSchema = z.object({
  id: tmdbId,
  poster_path: imagePath,
  original_language: code,
  release_date: date,
  popularity,
  runtime: minutes,
  origin_country: countries,
  production_countries: productionCountries,
});

export const tvSchema = z.object({
  id: tmdbId,
  poster_path: imagePath,
  original_language: code,
  first_air_date: date,
  popularity,
  origin_country: countries,
  production_countries: productionCountries,
});

export const episodeSchema = z.object({
  episode_number: z.number().int(),
  season_number: z.number().int().nullish(),
  name: text,
  overview: text,
  still_path: imagePath,
  air_date: date,
  runtime: minutes,
});

export const seasonSchema = z.object({
  season_number: z.number().int().nullish(),
  episodes: z
    .array(episodeSchema)
    .nullish()
    .transform((v) => v ?? []),
});

/** TMDB's error body: {"status_code": 34, "status_message": "...", "success": false}. */
export const errorBodySchema = z.object({
  status_code: z.number().int(),
  status_message: z.string(),
  success: z.boolean().optional(),
});

export type TmdbFind = z.output<typeof findSchema>;
export type TmdbMovie = z.output<typeof movieSchema>;
export type TmdbTv = z.output<typeof tvSchema>;
export type TmdbEpisode = z.output<typeof episodeSchema>;
export type TmdbSeason = z.output<typeof seasonSchema>;
