/**
 * Bulk inserts on PostgreSQL: when the merge is about to fill a (nearly) empty catalogue,
 * maintaining a live table's secondary indexes row by row costs far more than building
 * them once afterwards (a pg_trgm GIN index most of all), and checking each new row's
 * foreign keys one by one costs more than one anti-join when the key is added back.
 *
 * Readers must keep answering meanwhile, and dropping an index or a key takes a lock
 * that blocks them until the transaction ends. So the secondary indexes and foreign keys
 * of the tables the merge fills are dropped in a short transaction of their own before
 * the merge (readers of a nearly empty catalogue do fine without them for a while), and
 * built again once the rows of their stage are committed (import.pg.ts), on other
 * sessions than the merge's: CREATE INDEX and ADD FOREIGN KEY only keep writers out.
 * Unique constraints stay (adding one back would lock readers out until commit).
 *
 * The statements that build them again are recorded in sync_state (RESTORE_KEY) in the
 * same transaction as the drops, and cleared once they all ran; a failed merge runs them
 * at once, and an import killed on the way runs them at the start of the next one
 * (restorePending). Definitions are read from the catalog, so an index a later migration
 * adds is kept too.
 */
import pg from 'pg';
import { STAGED_AND_LIVE_SQL } from './merge-tally.ts';

const RESTORE_KEY = 'imdb_bulk_restore';

interface SetAside {
  table: string;
  /** The name of the index or constraint, to tell whether it exists. */
  name: string;
  kind: 'index' | 'foreign key';
  drop: string;
  create: string;
}

// Primary keys and unique constraints stay: other tables refer to them, and adding one
// back would lock readers out. Unique indexes stay too, as arbiters of INSERT ... ON
// CONFLICT, except on the tables ($2) whose insert arbitrates none (MergeStep.bulkUnique).
const SET_ASIDE = `
  SELECT c.relname AS table, i.indexrelid::regclass::text AS name, 'index' AS kind,
    format('DROP INDEX %s', i.indexrelid::regclass) AS drop, pg_get_indexdef(i.indexrelid) AS create
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
    AND (NOT i.indisunique OR i.indrelid = ANY($2::regclass[]))
    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
  UNION ALL
  SELECT c.conrelid::regclass::text, c.conname, 'foreign key',
    format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
    format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
  FROM pg_constraint c
  WHERE c.conrelid = ANY($1::regclass[]) AND c.contype = 'f'`;

/** Whether the merge should bulk-insert: the catalogue holds under 5% of the titles staged. */
export async function catalogueIsNearlyEmpty(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ staged: string; live: string }>(STAGED_AND_LIVE_SQL);
  const { staged, live } = rows[0] ?? { staged: '0', live: '0' };
  return Number(live) * 20 < Number(staged);
}

/** What setAside put aside, built again table by table. */
export interface SetAsideKeys {
  /** `table`'s statistics, which the merge's later steps plan with; its keys wait for build. */
  analyze(table: string): Promise<void>;
  /**
   * Queues the indexes and keys of `tables`, whose rows are committed, for a session of
   * their own, which builds them one statement (and transaction) at a time while the merge
   * goes on: no lock either takes conflicts with the other's (the merge's statements only
   * write their own stage's tables). Each batch's indexes come first: a foreign key's check
   * waits for an index being built on its table, so two sessions sharing a batch build
   * indexes side by side first.
   */
  build(tables: string[]): void;
  /**
   * Resolves once everything queued is built, building on `alsoOn` as well when given (each
   * session takes the next statement); rejects with the first failure, leaving the rest to
   * restorePending.
   */
  finish(alsoOn?: pg.Client): Promise<void>;
}

/**
 * Drops the secondary indexes and foreign keys of `tables` (and the unique indexes of
 * `uniqueToo`) in a transaction of its own, recording how to build them again.
 */
export async function setAside(
  client: pg.Client,
  url: string,
  tables: string[],
  uniqueToo: string[] = [],
): Promise<SetAsideKeys> {
  await client.query('BEGIN');
  let rows: SetAside[];
  try {
    rows = (await client.query<SetAside>(SET_ASIDE, [tables, uniqueToo])).rows;
    await client.query(
      `INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [RESTORE_KEY, JSON.stringify(rows)],
    );
    for (const row of rows) await client.query(row.drop);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  const queue: SetAside[] = [];
  const take = async (session: pg.Client) => {
    for (let next = queue.shift(); next; next = queue.shift()) await session.query(next.create);
  };
  let side: Promise<pg.Client> | null = null;
  let sideRun: Promise<void> = Promise.resolve();
  return {
    // The later steps join these tables, and the server plans with these statistics too.
    analyze: async (table) => void (await client.query(`ANALYZE ${table}`)),
    build(tables) {
      const ours = rows.filter((row) => tables.includes(row.table));
      queue.push(...ours.filter((r) => r.kind === 'index'), ...ours.filter((r) => r.kind === 'foreign key'));
      side ??= openSide(url);
      const session = side;
      sideRun = sideRun.then(async () => take(await session));
      sideRun.catch(() => {}); // awaited by finish
    },
    async finish(alsoOn) {
      const results = await Promise.allSettled([sideRun, alsoOn && take(alsoOn)]);
      await side?.then((session) => session.end()).catch(() => {});
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

async function openSide(url: string): Promise<pg.Client> {
  const side = new pg.Client({ connectionString: url });
  await side.connect();
  // As the merge's session builds them, but one process each: the other core is the merge's.
  await side.query(`SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 0`);
  // If the importer dies, the server stops the build instead of finishing it for no one
  // (PostgreSQL 14 and later).
  await side.query(`SET client_connection_check_interval = '1s'`).catch(() => {});
  return side;
}

/** Once everything set aside is back. */
const RESTORED_SQL = `DELETE FROM sync_state WHERE key = '${RESTORE_KEY}'`;

/**
 * Builds again whatever a bulk merge set aside and did not put back (it failed, or its
 * process was killed): indexes as they were; a foreign key first NOT VALID (enforced from
 * now on whatever rows a writer left meanwhile), then validated when the rows allow.
 */
export async function restorePending(client: pg.Client, log?: (message: string) => void): Promise<void> {
  const { rows } = await client.query<{ value: string }>('SELECT value FROM sync_state WHERE key = $1', [RESTORE_KEY]);
  if (!rows[0]) return;
  const pending = JSON.parse(rows[0].value) as SetAside[];
  let built = 0;
  for (const item of pending) {
    const exists =
      item.kind === 'index'
        ? await client.query('SELECT 1 FROM pg_class WHERE oid = to_regclass($1)', [item.name])
        : await client.query('SELECT 1 FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2', [
            item.table,
            item.name,
          ]);
    if (exists.rowCount) continue;
    built += 1;
    if (item.kind === 'index') {
      await client.query(item.create);
      continue;
    }
    await client.query(`${item.create} NOT VALID`);
    await client
      .query(`ALTER TABLE ${item.table} VALIDATE CONSTRAINT "${item.name.replaceAll('"', '""')}"`)
      .catch((error: Error) => log?.(`foreign key ${item.name} kept NOT VALID: ${error.message}`));
  }
  await client.query(RESTORED_SQL);
  if (built > 0) log?.(`rebuilt ${built} indexes and keys an interrupted bulk import had set aside`);
}
