import type { Hono } from 'hono';
import type { Views } from '../http/views.ts';
import { jobRowView } from '../jobs/sync.pages.ts';
import type { SyncJobsRepository } from '../jobs/sync-jobs.repository.ts';
import type { HomeRepository } from './home.repository.ts';

export interface HomePagesDeps {
  home: HomeRepository;
  syncJobs: Pick<SyncJobsRepository, 'list'>;
  views: Views;
}

export function registerHomePages(app: Hono, { home, syncJobs, views }: HomePagesDeps) {
  app.get('/', async (c) => {
    const [counts, source, [lastSync]] = await Promise.all([home.counts(), home.source(), syncJobs.list(1)]);
    const catalogue = counts.movies + counts.shows === 0 ? 'empty' : source;
    return views.render(c, 'home/index', {
      section: 'home',
      counts,
      catalogue,
      lastSync: lastSync ? jobRowView(lastSync) : null,
    });
  });
}
