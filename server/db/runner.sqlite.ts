import type BetterSqlite3 from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { isBusy } from './db-errors.ts';
import type { Database, SqlRunner } from './sql-runner.ts';

const dialect = new SQLiteSyncDialect();

/**
 * better-sqlite3 is synchronous: a statement that waits for another process's write lock
 * (an IMDb import's merge, a job's write) would stop the whole server for as long as
 * SQLite's busy_timeout. So this connection does not wait inside SQLite (busy_timeout 0)
 * and a write that finds the database locked is tried again after a pause, up to
 * LOCK_WAIT_MS, while the server goes on answering; then it fails busy (503, or a kept
 * batch for the engagement recorder).
 */
export const LOCK_WAIT_MS = 5000;

// Our own transaction is open: wait for it (not a busy database).
const OWN_TRANSACTION = new Error('a transaction of this connection is open');

async function whenUnlocked<T>(attempt: () => T, waitMs: number): Promise<T> {
  const deadline = performance.now() + waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

// better-sqlite3 binds no booleans; every other parameter passes through as it is.
const bindable = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? Number(p) : p));

export function createSqliteDatabase(
  connection: BetterSqlite3.Database,
  { lockWaitMs = LOCK_WAIT_MS }: { lockWaitMs?: number } = {},
): Database {
  connection.pragma('busy_timeout = 0');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (q: SQL) => {
    const { sql, params } = dialect.sqlToQuery(q);
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      // Bounded: queries are templates, but IN-lists of varying length are not.
      if (statements.size > 500) statements.clear();
      statements.set(sql, statement);
    }
    return { statement, params: bindable(params) };
  };
  const all = <T>(q: SQL): T[] => {
    const { statement, params } = prepare(q);
    if (!statement.reader) {
      statement.run(...params);
      return [];
    }
    return statement.all(...params) as T[];
  };
  const run = (q: SQL): number => {
    const { statement, params } = prepare(q);
    return statement.reader ? statement.all(...params).length : statement.run(...params).changes;
  };

  // One connection serves the whole process, so while a transaction is open every other
  // caller waits for it: nobody else's statement may land inside it. The check is made in
  // the same synchronous step as the statement, so none slips in between. Transactions
  // start one at a time (`starting`); until one has begun, other statements go on.
  let openTransaction: Promise<unknown> | null = null;
  let starting: Promise<unknown> = Promise.resolve();
  const idle = async () => {
    while (openTransaction) await openTransaction.catch(() => {});
  };
  const outside = async <T>(statement: () => T): Promise<T> => {
    for (;;) {
      await idle();
      try {
        return await whenUnlocked(() => {
          if (openTransaction) throw OWN_TRANSACTION;
          return statement();
        }, lockWaitMs);
      } catch (error) {
        if (error !== OWN_TRANSACTION) throw error;
      }
    }
  };

  const inside: SqlRunner = {
    dialect: 'sqlite',
    all: async (q) => all(q),
    get: async (q) => all(q)[0] as never,
    run: async (q) => run(q),
    transaction: () => Promise.reject(new Error('nested transaction')),
  };

  const runner: SqlRunner = {
    dialect: 'sqlite',
    all: (q) => outside(() => all(q)),
    get: (q) => outside(() => all(q)[0] as never),
    run: (q) => outside(() => run(q)),
    transaction(work) {
      const turn = starting.then(async () => {
        let finished!: () => void;
        const open = new Promise<void>((resolve) => {
          finished = resolve;
        });
        await outside(() => {
          connection.exec('BEGIN IMMEDIATE');
          openTransaction = open;
        });
        try {
          const result = await work(inside);
          connection.exec('COMMIT');
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec('ROLLBACK');
          throw error;
        } finally {
          openTransaction = null;
          finished();
        }
      });
      starting = turn.catch(() => {});
      return turn;
    },
  };

  return {
    dialect: 'sqlite',
    sql: runner,
    async ping() {
      connection.prepare('SELECT 1').get();
    },
    async close() {
      await idle();
      if (connection.open) connection.close();
    },
  };
}
