/**
 * The one database surface repositories see: run a drizzle `sql` template and get plain
 * rows back, the same way on PostgreSQL and SQLite. Each dialect has its own runner
 * (runner.pg.ts, runner.sqlite.ts); dialect.ts picks one.
 */
import type { SQL } from 'drizzle-orm';

export type Dialect = 'pg' | 'sqlite';
export type Row = Record<string, unknown>;

export interface SqlRunner {
  readonly dialect: Dialect;
  all<T = Row>(query: SQL): Promise<T[]>;
  get<T = Row>(query: SQL): Promise<T | undefined>;
  /** Runs a statement and resolves to the number of rows it changed. */
  run(query: SQL): Promise<number>;
  /**
   * Runs `work` in one transaction; the runner it receives is the only one that sees the
   * uncommitted rows. `work` must only await this runner (no network, no timers).
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** A database the app holds open: its runner, plus what only start-up and shutdown need. */
export interface Database {
  readonly dialect: Dialect;
  readonly sql: SqlRunner;
  /** Checks the database answers; used by /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Connection pool counts for /metrics; absent on SQLite (one connection, no pool). */
  poolStats?(): { total: number; idle: number; waiting: number };
}
