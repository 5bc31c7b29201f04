import type BetterSqlite3 from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Database, SqlRunner } from './sql-runner.ts';

const dialect = new SQLiteSyncDialect();

// better-sqlite3 binds no booleans; every other parameter passes through as it is.
const bindable = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? Number(p) : p));

export function createSqliteDatabase(connection: BetterSqlite3.Database): Database {
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
  // caller waits for it: nobody else's statement may land inside it.
  let openTransaction: Promise<unknown> | null = null;
  const idle = async () => {
    while (openTransaction) await openTransaction.catch(() => {});
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
    async all<T>(q: SQL) {
      await idle();
      return all<T>(q);
    },
    async get<T>(q: SQL) {
      await idle();
      return all<T>(q)[0];
    },
    async run(q: SQL) {
      await idle();
      return run(q);
    },
    async transaction(work) {
      await idle();
      const done = (async () => {
        connection.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inside);
          connection.exec('COMMIT');
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec('ROLLBACK');
          throw error;
        }
      })();
      openTransaction = done;
      try {
        return await done;
      } finally {
        if (openTransaction === done) openTransaction = null;
      }
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
