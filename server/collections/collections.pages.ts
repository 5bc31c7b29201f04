/**
 * /collections/:slug: one collection's titles, found by the rule the API and the carousels
 * share (findCollectionTitles). Opening it counts as a click, like GET /api/collections/:key.
 */
import type { Hono } from 'hono';
import { discoverTitleJson } from '../discover/discover.json.ts';
import type { DiscoverRepository } from '../discover/discover.repository.ts';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import type { Views } from '../http/views.ts';
import { findCollectionTitles } from './collection-titles.ts';
import type { CollectionsRepository } from './collections.repository.ts';

export interface CollectionsPagesDeps {
  collections: CollectionsRepository;
  discover: DiscoverRepository;
  engagement: EngagementRecorder;
  views: Views;
}

export function registerCollectionsPages(
  app: Hono,
  { collections, discover, engagement, views }: CollectionsPagesDeps,
) {
  app.get('/collections/:slug', async (c) => {
    const slug = c.req.param('slug');
    const collection = slug.length <= 200 ? await collections.findBySlugOrId(slug) : null;
    if (!collection) throw notFound('collections', 'collection');
    engagement.recordClick(collection.id);
    const { titles, size } = await findCollectionTitles(discover, collection);
    return views.render(c, 'collections/detail', {
      section: 'discover',
      title: collection.name,
      collection,
      titles: titles.map(discoverTitleJson),
      size,
    });
  });
}
