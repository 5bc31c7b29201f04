/**
 * The IMDb sample bundled in data/imdb-sample: a few thousand real rows, so a new install
 * has a catalogue to browse before its first full sync.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { DatabaseTarget } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
import { importImdbDataset } from './import.ts';
import type { ImportStats } from './stats.ts';

export const SAMPLE_DIR = fileURLToPath(new URL('../../data/imdb-sample/', import.meta.url));

/**
 * Imports the sample (recorded as source 'sample') when the titles table has no row at
 * all, owner-created or not; otherwise does nothing and returns null.
 */
export async function importSampleIfEmpty({
  target,
  log,
}: {
  target: DatabaseTarget;
  log?: Pick<Logger, 'info'>;
}): Promise<ImportStats | null> {
  const db = await openDatabase(target, { poolSize: 1 });
  let empty: boolean;
  try {
    empty = (await db.sql.get(sql`SELECT id FROM titles LIMIT 1`)) === undefined;
  } finally {
    await db.close();
  }
  if (!empty) return null;
  // openDatabase above has just applied the migrations.
  return importImdbDataset({ target, dir: SAMPLE_DIR, source: 'sample', log, migrate: false });
}
