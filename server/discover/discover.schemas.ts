/** Query rules for /api/discover and /api/discover/carousels: the one place they live. */
import { z } from 'zod';
import { intParam, withinResultWindow } from '../http/validation.ts';
import { TITLE_TYPES } from '../titles/titles.repository.ts';

export const DISCOVER_SORTS = [
  'most_rated',
  'trending',
  'popular',
  'top_rated',
  'newest',
  'hidden_gems',
  'a-z',
] as const;
export type DiscoverSort = (typeof DISCOVER_SORTS)[number];

const emptyAsAbsent = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsAbsent, schema.optional());

/** Shared by the discover query and the collections' YAML filters. */
export const discoverField = {
  genre: z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'),
  type: z.enum(TITLE_TYPES, "must be 'movie' or 'show'"),
  lang: z.string().regex(/^[A-Za-z-]{2,10}$/, 'must be a language code like en'),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be a country code like US'),
  sort: z.enum(DISCOVER_SORTS, `must be one of ${DISCOVER_SORTS.join(', ')}`),
};

const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a number like 7.5')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

// Clamped rather than refused above the maximum, like /api/titles' per_page.
const pageSize = (fallback: number, max: number) =>
  z.preprocess(emptyAsAbsent, intParam(1, 999_999_999)).transform((n) => Math.min(n ?? fallback, max));

export const discoverQuery = z
  .object({
    genre: optional(discoverField.genre),
    type: optional(discoverField.type),
    lang: optional(discoverField.lang),
    country: optional(discoverField.country.transform((c) => c.toUpperCase())),
    year_min: z.preprocess(emptyAsAbsent, intParam(1800, 2200)),
    rating_min: optional(decimal(0, 10)),
    min_votes: z.preprocess(emptyAsAbsent, intParam(0, 2_000_000_000)),
    sort: optional(discoverField.sort).transform((s) => s ?? 'most_rated'),
    limit: pageSize(100, 100),
    page: z.preprocess(emptyAsAbsent, intParam(1, 10_000_000)).transform((n) => n ?? 1),
    has_image: optional(z.enum(['true', 'false', '1', '0'], 'must be true or false')).transform(
      (v) => v === 'true' || v === '1',
    ),
  })
  .superRefine(withinResultWindow('page', 'limit'));

export const carouselsQuery = z.object({
  page: z.preprocess(emptyAsAbsent, intParam(1, 10_000_000)).transform((n) => n ?? 1),
  per_page: pageSize(10, 50),
});
