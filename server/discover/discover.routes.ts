import type { Hono } from 'hono';
import { compact } from '../http/json.ts';
import { parseQuery } from '../http/validation.ts';
import type { Carousel, CarouselCache } from './carousels.ts';
import { discoverTitleJson } from './discover.json.ts';
import type { DiscoverRepository } from './discover.repository.ts';
import { carouselsQuery, discoverQuery } from './discover.schemas.ts';

export interface DiscoverRoutesDeps {
  discover: DiscoverRepository;
  carousels: CarouselCache;
}

const carouselJson = (c: Carousel) =>
  compact({
    name: c.name,
    slug: c.slug,
    description: c.description,
    collection_id: c.collection_id,
    engagement_count: c.engagement_count,
    total_count: c.total_count,
    titles: c.titles.map(discoverTitleJson),
  });

export function registerDiscoverRoutes(api: Hono, { discover, carousels }: DiscoverRoutesDeps) {
  api.get('/discover', async (c) => {
    const { limit, page, ...filter } = parseQuery(c, discoverQuery);
    const result = await discover.find(filter, limit, (page - 1) * limit);
    return c.json({ titles: result.titles.map(discoverTitleJson), total: result.total, page, per_page: limit });
  });

  api.get('/discover/carousels', async (c) => {
    const { page, per_page } = parseQuery(c, carouselsQuery);
    const { carousels: all } = await carousels.current();
    const start = (page - 1) * per_page;
    return c.json({
      carousels: all.slice(start, start + per_page).map(carouselJson),
      total: all.length,
      page,
      per_page,
    });
  });
}
