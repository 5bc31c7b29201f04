/** Request schemas for titles, movies and shows: the single place their input rules live. */
import { z } from 'zod';
import { intParam, withinResultWindow } from '../http/validation.ts';
import { TITLE_TYPES } from './titles.repository.ts';

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const field = {
  year: z
    .number()
    .int('must be a whole number')
    .min(1800, 'must be 1800 or later')
    .max(2200, 'must be 2200 or earlier'),
  imdbTitleId: z.string().regex(/^tt\d{7,10}$/, 'must look like tt0133093'),
  imageUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
  date: z.iso
    .date('must be a date as YYYY-MM-DD')
    .refine((d) => d >= '1800-01-01' && d <= '2200-12-31', 'must be between 1800 and 2200'),
  minutes: z.number().int('must be a whole number').min(0, 'must not be negative').max(100_000, 'is too long'),
  name: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
};

const titleFields = {
  display_name: field.name,
  start_year: nullable(field.year),
  end_year: nullable(field.year),
  imdb_id: nullable(field.imdbTitleId),
  image_url: nullable(field.imageUrl),
  original_title: nullable(z.string().trim().max(500, 'must be at most 500 characters')),
  original_language: nullable(
    z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code like en or pt-BR'),
  ),
  release_date: nullable(field.date),
  runtime_minutes: nullable(field.minutes),
  origin_country: nullable(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 code like US')),
  genres: z
    .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
    .max(30, 'at most 30 genres')
    .optional(),
};

// Fields a client may echo back from a title it read; they are computed, so they are ignored.
const READ_ONLY = [
  'title_id',
  'movie_id',
  'show_id',
  'tmdb_id',
  'num_votes',
  'average_rating',
  'tmdb_popularity',
  'created_at',
  'updated_at',
  'title',
  'seasons',
  'is_series_finished',
] as const;
type ReadOnly = (typeof READ_ONLY)[number];
const readOnly = Object.fromEntries(READ_ONLY.map((name) => [name, z.unknown().optional()])) as {
  [K in ReadOnly]: z.ZodOptional<z.ZodUnknown>;
};

const yearsInOrder = (t: { start_year?: number | null; end_year?: number | null }, ctx: z.RefinementCtx) => {
  if (t.start_year != null && t.end_year != null && t.end_year < t.start_year) {
    ctx.addIssue({ code: 'custom', path: ['end_year'], message: 'must not be before start_year' });
  }
};

const dropReadOnly = <T extends Record<string, unknown>>(body: T) => {
  const out: Record<string, unknown> = { ...body };
  for (const name of READ_ONLY) delete out[name];
  return out as Omit<T, ReadOnly>;
};

export const newTitleBody = z
  .strictObject({ type: z.enum(TITLE_TYPES, "must be 'movie' or 'show'"), ...titleFields, ...readOnly })
  .superRefine(yearsInOrder)
  .transform(dropReadOnly);

/** POST /api/movies and /api/shows: the kind comes from the path, a type sent must agree. */
export const newKindBody = (kind: (typeof TITLE_TYPES)[number]) =>
  z
    .strictObject({ type: z.literal(kind, `must be '${kind}' here`).optional(), ...titleFields, ...readOnly })
    .superRefine(yearsInOrder)
    .transform(({ type: _type, ...rest }) => dropReadOnly(rest));

/** PUT: every field optional; only those sent change. The type of a title never changes here. */
export const titlePatchBody = (type?: (typeof TITLE_TYPES)[number]) =>
  z
    .strictObject({
      ...titleFields,
      display_name: titleFields.display_name.optional(),
      type: (type ? z.literal(type, `type cannot be changed (title is a ${type})`) : z.enum(TITLE_TYPES)).optional(),
      ...readOnly,
    })
    .superRefine(yearsInOrder)
    .transform(({ type: _type, ...rest }) => dropReadOnly(rest));

const emptyAsAbsent = (value: unknown) => (value === '' ? undefined : value);

export const titleSearchQuery = z
  .object({
    q: z.preprocess(emptyAsAbsent, z.string().max(200, 'must be at most 200 characters').optional()),
    type: z.preprocess(emptyAsAbsent, z.enum(TITLE_TYPES, "must be 'movie' or 'show'").optional()),
    lang: z.preprocess(
      emptyAsAbsent,
      z
        .string()
        .regex(/^[A-Za-z-]{2,10}$/, 'must be a language code like en')
        .optional(),
    ),
    page: z.preprocess(emptyAsAbsent, intParam(1, 10_000_000)),
    // Clamped rather than refused above 100: the original did the same.
    per_page: z
      .preprocess(emptyAsAbsent, intParam(1, 999_999_999))
      .transform((n) => (n === undefined ? 100 : Math.min(n, 100))),
  })
  .superRefine(withinResultWindow('page', 'per_page'));

/** ?source= on detail endpoints, for engagement tracking. */
export const detailQuery = z.object({
  source: z.string().max(100, 'must be at most 100 characters').optional(),
});
