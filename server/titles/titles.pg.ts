/**
 * PostgreSQL title search: LIKE on search_name, which the pg_trgm GIN index serves for
 * substrings and the text_pattern_ops btree for prefixes. Wildcards in the key are escaped.
 */
import { sql } from 'drizzle-orm';
import { escapeLike } from './search-key.ts';
import type { TitleMatching } from './titles.repository.ts';

export const pgTitleMatching: TitleMatching = {
  match(key, mode) {
    const pattern = mode === 'substring' ? `%${escapeLike(key)}%` : `${escapeLike(key)}%`;
    return sql`t.search_name LIKE ${pattern}`;
  },
  rank(key) {
    return sql`CASE WHEN t.search_name = ${key} THEN 0 WHEN starts_with(t.search_name, ${key}) THEN 1 ELSE 2 END`;
  },
};
