/**
 * Database errors that pass on their own: another writer holds the lock (an IMDb import's
 * merge on SQLite, a lock wait over lock_timeout on PostgreSQL), or PostgreSQL gave up a
 * transaction to a concurrent one. The same work succeeds when tried again later.
 */

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/** Another connection holds the lock we waited for: SQLITE_BUSY (any variant) or 55P03. */
export function isBusy(error: unknown): boolean {
  const code = codeOf(error);
  return (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) || code === '55P03';
}

/** Busy, or a PostgreSQL serialization failure (40001) or deadlock (40P01). */
export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  return isBusy(error) || code === '40001' || code === '40P01';
}
