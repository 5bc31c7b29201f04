/**
 * Bulk inserts on PostgreSQL: when the merge is about to fill a (nearly) empty catalogue,
 * maintaining a live table's secondary indexes row by row costs far more than building
 * them once afterwards (a pg_trgm GIN index most of all), and checking each new row's
 * foreign keys one by one costs more than one anti-join when the key is added back.
 *
 * So, inside the merge's transaction, a table's secondary indexes, its foreign keys and
 * its unique constraints nothing refers to are dropped before its insert and rebuilt from
 * their own definitions (read from the catalog, so an index a later migration adds is
 * kept too) right after it. DDL is transactional: a failure anywhere rolls the drops back
 * with everything else. The price is an ACCESS EXCLUSIVE lock on the table until commit,
 * which is why this is only done when the live tables hold little to read.
 */
import type pg from 'pg';

/** What `setAside` dropped, as the statements that rebuild it. */
export type Restore = () => Promise<void>;

// Primary keys stay (other tables refer to them), and so do unique indexes without a
// constraint: they are the arbiters of INSERT ... ON CONFLICT (show_seasons).
const SET_ASIDE = `
  SELECT format('DROP INDEX %s', i.indexrelid::regclass) AS drop_sql,
    pg_get_indexdef(i.indexrelid) AS create_sql
  FROM pg_index i
  WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT i.indisunique
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
  UNION ALL
  SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
    format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
  FROM pg_constraint c
  WHERE c.conrelid = $1::regclass AND (c.contype = 'f' OR (c.contype = 'u'
    AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))`;

/** Whether the merge should bulk-insert: the catalogue holds under half the titles staged. */
export async function catalogueIsNearlyEmpty(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ staged: string; live: string }>(
    `SELECT (SELECT count(*) FROM imdb_titles) AS staged,
       (SELECT count(*) FROM (SELECT 1 FROM titles LIMIT (SELECT count(*) FROM imdb_titles)) l) AS live`,
  );
  const { staged, live } = rows[0] ?? { staged: '0', live: '0' };
  return Number(live) * 2 < Number(staged);
}

/** Drops `table`'s secondary indexes and keys; the returned function builds them again. */
export async function setAside(client: pg.Client, table: string): Promise<Restore> {
  const { rows } = await client.query<{ drop_sql: string; create_sql: string }>(SET_ASIDE, [table]);
  for (const row of rows) await client.query(row.drop_sql);
  return async () => {
    for (const row of rows) await client.query(row.create_sql);
    // The later steps join this table, and the server plans with these statistics too.
    await client.query(`ANALYZE ${table}`);
  };
}
