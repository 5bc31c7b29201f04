import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Database, SqlRunner } from './sql-runner.ts';

const dialect = new PgDialect();

// Rows leave the runner in the same shape as SQLite's: ISO text timestamps,
// 'YYYY-MM-DD' dates, numbers for numeric and bigint (counts).
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;
const parseTimestamp = pg.types.getTypeParser(OID.timestamptz);
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case OID.int8:
      case OID.numeric:
        return (value: string) => Number(value);
      case OID.date:
        return (value: string) => value;
      case OID.timestamp:
      case OID.timestamptz:
        return (value: string) => (parseTimestamp(value) as Date).toISOString();
      default:
        return pg.types.getTypeParser(oid, format);
    }
  },
};

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function createRunner(client: Queryable, transaction: SqlRunner['transaction']): SqlRunner {
  const query = async <T>(q: SQL) => {
    const { sql, params } = dialect.sqlToQuery(q);
    return client.query<T & pg.QueryResultRow>(sql, params);
  };
  return {
    dialect: 'pg',
    async all<T>(q: SQL) {
      return (await query<T>(q)).rows as T[];
    },
    async get<T>(q: SQL) {
      return (await query<T>(q)).rows[0] as T | undefined;
    },
    async run(q: SQL) {
      return (await query(q)).rowCount ?? 0;
    },
    transaction,
  };
}

export function createPgPool(url: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}

export function createPgDatabase(pool: pg.Pool): Database {
  const transaction: SqlRunner['transaction'] = async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(createRunner(client, () => Promise.reject(new Error('nested transaction'))));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    dialect: 'pg',
    sql: createRunner(pool, transaction),
    async ping() {
      await pool.query('SELECT 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
