/** The YAML definition of a collection (collections/*.yaml), checked when it is loaded. */
import { z } from 'zod';
import { discoverField } from '../discover/discover.schemas.ts';

export const COLLECTION_STRATEGIES = ['filter', 'static', 'llm'] as const;
export type CollectionStrategy = (typeof COLLECTION_STRATEGIES)[number];

/** What a filter collection shows: a discover query with its own size. */
export const collectionFilter = z.strictObject({
  type: discoverField.type.optional(),
  lang: discoverField.lang.optional(),
  genre: discoverField.genre.optional(),
  sort: discoverField.sort.optional(),
  min_votes: z.number().int('must be a whole number').min(0, 'must not be negative').optional(),
  limit: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .optional(),
});
export type CollectionFilter = z.infer<typeof collectionFilter>;

export const collectionDefinition = z
  .strictObject({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    description: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
    strategy: z.enum(COLLECTION_STRATEGIES, 'must be filter, static or llm').default('filter'),
    pinned: z.boolean('must be true or false').default(false),
    languages: z.array(discoverField.lang).optional(),
    regions: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be a country code like KR')).optional(),
    filter: collectionFilter.optional(),
    titles: z.array(z.string().regex(/^tt\d{7,10}$/, 'must look like tt0133093')).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.strategy === 'filter' && !c.filter) {
      ctx.addIssue({ code: 'custom', path: ['filter'], message: 'is required for a filter collection' });
    }
    if (c.strategy === 'filter' && c.titles) {
      ctx.addIssue({ code: 'custom', path: ['titles'], message: 'is only for static and llm collections' });
    }
    if (c.strategy !== 'filter' && (!c.titles || c.titles.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['titles'], message: `is required for a ${c.strategy} collection` });
    }
  });
export type CollectionDefinition = z.infer<typeof collectionDefinition>;
