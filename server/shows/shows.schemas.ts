/** Request schemas for seasons and episodes. */
import { z } from 'zod';
import { field } from '../titles/titles.schemas.ts';

// Real data has seasons numbered by year (1994) and episode numbers above 10,000.
const seasonNumber = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(100_000, 'is too large');
const episodeNumber = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(10_000_000, 'is too large');

export const seasonBody = z
  .strictObject({
    season_number: seasonNumber,
    season_id: z.unknown().optional(),
    show_id: z.unknown().optional(),
    episodes: z.unknown().optional(),
    is_season_finished: z.unknown().optional(),
  })
  .transform(({ season_number }) => ({ season_number }));

const episodeFields = {
  imdb_id: field.imdbTitleId.nullable().optional(),
  display_name: field.name.nullable().optional(),
  synopsis: z.string().trim().max(20_000, 'must be at most 20000 characters').nullable().optional(),
  image_url: field.imageUrl.nullable().optional(),
  air_date: field.date.nullable().optional(),
  runtime_minutes: field.minutes.nullable().optional(),
};

const echoed = { episode_id: z.unknown().optional(), season_id: z.unknown().optional() };
const withoutEchoed = <T extends { episode_id?: unknown; season_id?: unknown }>({
  episode_id: _e,
  season_id: _s,
  ...rest
}: T) => rest;

export const newEpisodeBody = z
  .strictObject({ episode_number: episodeNumber, ...episodeFields, ...echoed })
  .transform(withoutEchoed);

export const episodePatchBody = z
  .strictObject({ episode_number: episodeNumber.optional(), ...episodeFields, ...echoed })
  .transform(withoutEchoed);
