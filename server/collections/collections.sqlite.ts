/** How SQLite stores a collection's JSON and lists: both as JSON text. */
import { sql } from 'drizzle-orm';
import type { CollectionStorage } from './collections.repository.ts';

export const sqliteCollectionStorage: CollectionStorage = {
  json: (value) => sql`${value === null ? null : JSON.stringify(value)}`,
  textList: (values) => sql`${values === null ? null : JSON.stringify(values)}`,
};
