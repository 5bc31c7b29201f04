import type { Hono } from 'hono';
import { z } from 'zod';
import { discoverTitleJson } from '../discover/discover.json.ts';
import type { DiscoverRepository } from '../discover/discover.repository.ts';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { compact } from '../http/json.ts';
import { parseQuery } from '../http/validation.ts';
import { findCollectionTitles } from './collection-titles.ts';
import type { CollectionRecord, CollectionsRepository } from './collections.repository.ts';

export interface CollectionsRoutesDeps {
  collections: CollectionsRepository;
  discover: DiscoverRepository;
  engagement: EngagementRecorder;
}

/** The original's Collection shape. */
export const collectionJson = (c: CollectionRecord) =>
  compact({
    id: c.id,
    name: c.name,
    slug: c.slug,
    description: c.description,
    strategy: c.strategy,
    pinned: c.pinned,
    active: c.active,
    engagement_count: c.engagement_count,
    languages: c.languages,
    regions: c.regions,
  });

const detailQuery = z.object({ source: z.string().max(100, 'must be at most 100 characters').optional() });

export function registerCollectionsRoutes(api: Hono, { collections, discover, engagement }: CollectionsRoutesDeps) {
  api.get('/collections', async (c) => c.json((await collections.listActive()).map(collectionJson)));

  api.get('/collections/:key', async (c) => {
    parseQuery(c, detailQuery);
    const key = c.req.param('key');
    const collection = key.length <= 200 ? await collections.findBySlugOrId(key) : null;
    if (!collection) throw notFound('collections', 'collection');
    engagement.recordClick(collection.id);
    const { titles, size } = await findCollectionTitles(discover, collection);
    return c.json({ collection: collectionJson(collection), titles: titles.map(discoverTitleJson), total: size });
  });
}
