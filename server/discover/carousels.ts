/**
 * The discover carousels, built in memory: one per active filter collection with a type
 * and at least one title, show and movie rows interleaved. Built on first use, rebuilt on a schedule and when a
 * sync asks (rebuild()); requests keep getting the previous build until a new one is ready.
 */
import { type CollectionTitles, findCollectionTitles } from '../collections/collection-titles.ts';
import type { CollectionRecord, CollectionsRepository } from '../collections/collections.repository.ts';
import type { Logger } from '../logger.ts';
import type { DiscoverRepository, DiscoverTitleRecord } from './discover.repository.ts';

export const CAROUSEL_TITLES = 30;
const REBUILD_EVERY_MS = 10 * 60 * 1000;

export interface Carousel {
  name: string;
  slug: string;
  description: string | null;
  collection_id: number;
  engagement_count: number;
  total_count: number;
  titles: DiscoverTitleRecord[];
}

export interface CarouselBuild {
  carousels: Carousel[];
  builtAt: Date;
}

/** show, movie, show, movie…; what is left of the longer list follows in its order. */
export function interleave<T>(shows: T[], movies: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(shows.length, movies.length); i++) {
    if (i < shows.length) out.push(shows[i] as T);
    if (i < movies.length) out.push(movies[i] as T);
  }
  return out;
}

const toCarousel = (c: CollectionRecord, { titles, matches }: CollectionTitles): Carousel => ({
  name: c.name,
  slug: c.slug,
  description: c.description,
  collection_id: c.id,
  engagement_count: c.engagement_count,
  total_count: matches,
  titles,
});

export function createCarouselCache(deps: {
  collections: CollectionsRepository;
  discover: DiscoverRepository;
  log?: Pick<Logger, 'error'>;
  rebuildEveryMs?: number;
}) {
  const { collections, discover, rebuildEveryMs = REBUILD_EVERY_MS } = deps;
  let current: CarouselBuild | null = null;
  let building: Promise<CarouselBuild> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const build = async (): Promise<CarouselBuild> => {
    discover.invalidate();
    const rows = (await collections.listActive()).filter((c) => c.strategy === 'filter' && c.filter?.type);
    const carousels: Carousel[] = [];
    // One collection at a time: a rebuild must not take every database connection.
    for (const row of rows) carousels.push(toCarousel(row, await findCollectionTitles(discover, row, CAROUSEL_TITLES)));
    // An empty row is nothing to show (e.g. a custom genre no title has been tagged with yet).
    const ofType = (type: string) => carousels.filter((c, i) => rows[i]?.filter?.type === type && c.titles.length > 0);
    return { carousels: interleave(ofType('show'), ofType('movie')), builtAt: new Date() };
  };

  /** Builds anew and swaps the result in; concurrent calls share one build. */
  const rebuild = (): Promise<CarouselBuild> => {
    building ??= build()
      .then((fresh) => {
        current = fresh;
        return fresh;
      })
      .finally(() => {
        building = null;
      });
    return building;
  };

  const schedule = () => {
    if (timer) return;
    timer = setInterval(() => {
      rebuild().catch((error) => deps.log?.error('carousels: scheduled rebuild failed', error));
    }, rebuildEveryMs);
    timer.unref();
  };

  return {
    rebuild,
    /** The latest build; only the very first call waits for one. */
    async current(): Promise<CarouselBuild> {
      schedule();
      return current ?? rebuild();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type CarouselCache = ReturnType<typeof createCarouselCache>;
