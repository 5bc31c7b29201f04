/** The titles a collection shows, whatever its strategy: the one rule API and carousels share. */
import type { DiscoverRepository, DiscoverTitleRecord } from '../discover/discover.repository.ts';
import type { CollectionRecord } from './collections.repository.ts';

export const DEFAULT_COLLECTION_SIZE = 100;

export interface CollectionTitles {
  titles: DiscoverTitleRecord[];
  /** Titles the collection's filter matches (before its limit); the list's length otherwise. */
  matches: number;
  /** How many titles the collection holds: its matches, capped at its own limit. */
  size: number;
}

export async function findCollectionTitles(
  discover: DiscoverRepository,
  collection: CollectionRecord,
  max = DEFAULT_COLLECTION_SIZE,
): Promise<CollectionTitles> {
  if (collection.strategy !== 'filter') {
    const titles = await discover.findRanked(collection.id);
    return { titles: titles.slice(0, max), matches: titles.length, size: titles.length };
  }
  const { limit = DEFAULT_COLLECTION_SIZE, sort = 'most_rated', ...filter } = collection.filter ?? {};
  const page = await discover.find({ ...filter, sort }, Math.min(limit, max), 0);
  return { titles: page.titles, matches: page.total, size: Math.min(page.total, limit) };
}
