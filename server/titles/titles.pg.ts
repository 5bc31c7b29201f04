/**
 * PostgreSQL title matching: LIKE on search_name, which the pg_trgm GIN index serves for
 * substrings and the text_pattern_ops btree for prefixes (wildcards in the key escaped);
 * strpos and starts_with for the same tests row by row, which no index serves.
 */
import { sql } from 'drizzle-orm';
import { escapeLike } from './search-key.ts';
import type { TitleMatching } from './titles.search.ts';

export const pgTitleMatching: TitleMatching = {
  contains: (key) => sql`t.search_name LIKE ${`%${escapeLike(key)}%`}`,
  startsWith: (key) => sql`t.search_name LIKE ${`${escapeLike(key)}%`}`,
  containsCheck: (key) => sql`strpos(t.search_name, ${key}) > 0`,
  startsWithCheck: (key) => sql`starts_with(t.search_name, ${key})`,
  // PostgreSQL's planner picks the index from the conditions; it needs no hint.
  titlesByVotes: sql`titles t`,
  titlesByName: sql`titles t`,
  titlesByMatch: sql`titles t`,
  votesOrder: sql`t.num_votes DESC NULLS LAST, t.id`,
};
