/**
 * SQLite title matching: the FTS5 trigram table (titles_fts) for substrings, a range on the
 * search_name index for prefixes; instr and substr for the same tests row by row. The key
 * goes to FTS5 as one quoted phrase, so no character of it is FTS syntax.
 */
import { sql } from 'drizzle-orm';
import type { TitleMatching } from './titles.search.ts';

// Sorts after every string that starts with the key (BINARY collation compares UTF-8 bytes).
const AFTER_PREFIX = '\u{10FFFF}';

export const sqliteTitleMatching: TitleMatching = {
  contains: (key) =>
    sql`t.id IN (SELECT rowid FROM titles_fts WHERE titles_fts MATCH ${`"${key.replaceAll('"', '""')}"`})`,
  startsWith: (key) => sql`(t.search_name >= ${key} AND t.search_name < ${key + AFTER_PREFIX})`,
  containsCheck: (key) => sql`instr(t.search_name, ${key}) > 0`,
  startsWithCheck: (key) => sql`substr(t.search_name, 1, ${[...key].length}) = ${key}`,
  // SQLite's planner cannot tell how many titles a word matches, so the index is named.
  titlesByVotes: sql`titles t INDEXED BY idx_titles_num_votes`,
  titlesByName: sql`titles t INDEXED BY idx_titles_search_name`,
  // Only the rowid lookups of the FTS match, never a walk of some other index.
  titlesByMatch: sql`titles t NOT INDEXED`,
  // SQLite sorts NULL lowest, so DESC already puts titles without votes last.
  votesOrder: sql`t.num_votes DESC, t.id`,
};
