/**
 * Bulk inserts on SQLite (see bulk-insert.pg.ts for why): when the merge fills a (nearly)
 * empty catalogue, a live table's non-unique indexes are dropped before its insert and
 * re-created from their stored SQL after it, and titles_fts is rebuilt from titles in one
 * pass instead of row by row through its insert trigger. All inside the merge's
 * transaction, so a failure rolls the drops back too; unique indexes stay (ON CONFLICT).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { STAGED_AND_LIVE_SQL } from './merge-tally.ts';

/** The full-text index kept by an insert trigger on a table, rebuilt in one pass instead. */
const FULL_TEXT: Readonly<Record<string, { index: string; trigger: string }>> = {
  titles: { index: 'titles_fts', trigger: 'titles_fts_insert' },
};

/** Whether the merge should bulk-insert: the catalogue holds under half the titles staged. */
export function catalogueIsNearlyEmpty(connection: BetterSqlite3.Database): boolean {
  const { staged, live } = connection.prepare(STAGED_AND_LIVE_SQL).get() as { staged: number; live: number };
  return live * 2 < staged;
}

/** Drops `table`'s non-unique indexes (and full-text trigger); the returned function restores them. */
export function setAside(connection: BetterSqlite3.Database, table: string): () => void {
  const indexes = connection
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL
       AND sql NOT LIKE 'CREATE UNIQUE%'`,
    )
    .all(table) as { name: string; sql: string }[];
  const fullText = FULL_TEXT[table];
  const trigger = fullText
    ? (connection
        .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`)
        .pluck()
        .get(fullText.trigger) as string | undefined)
    : undefined;
  for (const index of indexes) connection.exec(`DROP INDEX "${index.name}"`);
  if (fullText && trigger) connection.exec(`DROP TRIGGER "${fullText.trigger}"`);
  return () => {
    for (const index of indexes) connection.exec(index.sql);
    if (fullText && trigger) {
      connection.exec(`INSERT INTO ${fullText.index}(${fullText.index}) VALUES ('rebuild')`);
      connection.exec(trigger);
    }
  };
}
