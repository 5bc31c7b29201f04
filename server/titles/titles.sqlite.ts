/**
 * SQLite title search: the FTS5 trigram table (titles_fts) for substrings, a range scan
 * of the search_name index for prefixes. The key goes in as one quoted FTS5 phrase, so
 * no character of it is FTS syntax.
 */
import { sql } from 'drizzle-orm';
import type { TitleMatching } from './titles.repository.ts';

// Sorts after every string that starts with the key (BINARY collation compares UTF-8 bytes).
const AFTER_PREFIX = '\u{10FFFF}';

export const sqliteTitleMatching: TitleMatching = {
  match(key, mode) {
    if (mode === 'prefix') return sql`(t.search_name >= ${key} AND t.search_name < ${key + AFTER_PREFIX})`;
    const phrase = `"${key.replaceAll('"', '""')}"`;
    return sql`t.id IN (SELECT rowid FROM titles_fts WHERE titles_fts MATCH ${phrase})`;
  },
  rank(key) {
    return sql`CASE WHEN t.search_name = ${key} THEN 0 WHEN substr(t.search_name, 1, ${[...key].length}) = ${key} THEN 1 ELSE 2 END`;
  },
};
