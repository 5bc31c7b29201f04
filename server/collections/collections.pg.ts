/** How PostgreSQL stores a collection's JSON and lists: jsonb and text[]. */
import { sql } from 'drizzle-orm';
import type { CollectionStorage } from './collections.repository.ts';

// A PostgreSQL array literal; drizzle would expand a JS array into a parameter list.
const arrayLiteral = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

export const pgCollectionStorage: CollectionStorage = {
  json: (value) => (value === null ? sql`NULL` : sql`${JSON.stringify(value)}::jsonb`),
  textList: (values) => (values === null ? sql`NULL` : sql`${arrayLiteral(values)}::text[]`),
};
