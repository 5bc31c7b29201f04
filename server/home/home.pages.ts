import type { Hono } from 'hono';
import type { Views } from '../http/views.ts';
import type { HomeRepository } from './home.repository.ts';

export function registerHomePages(app: Hono, { home, views }: { home: HomeRepository; views: Views }) {
  app.get('/', async (c) => {
    const [counts, source] = await Promise.all([home.counts(), home.source()]);
    const catalogue = counts.movies + counts.shows === 0 ? 'empty' : source;
    return views.render(c, 'home/index', { counts, catalogue });
  });
}
