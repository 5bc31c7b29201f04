/**
 * --explain: which SQL the app runs for a request and where the time goes. The app's own
 * repositories run over a recording wrapper of the server's database, so the statements are
 * exactly the app's; each is then timed alone and EXPLAINed (ANALYZE on PostgreSQL, QUERY
 * PLAN on SQLite).
 */
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Database, SqlRunner } from '../../server/db/sql-runner.ts';
import { createRepositories, type Repositories } from '../../server/repositories.ts';

export interface ExplainedStatement {
  sql: string;
  params: unknown[];
  ms: number;
  plan: string[];
}

export interface ExplainedRequest {
  label: string;
  statements: ExplainedStatement[];
}

export async function explainRequests(
  db: Database,
  requests: { label: string; run: (repositories: Repositories) => Promise<unknown> }[],
): Promise<ExplainedRequest[]> {
  let recorded: SQL[] = [];
  const record = (q: SQL) => {
    recorded.push(q);
    return q;
  };
  const recorder: SqlRunner = {
    dialect: db.dialect,
    all: (q) => db.sql.all(record(q)),
    get: (q) => db.sql.get(record(q)),
    run: (q) => db.sql.run(record(q)),
    transaction: (work) => db.sql.transaction(work),
  };
  const repositories = createRepositories({ ...db, sql: recorder });
  const toQuery = (q: SQL) => (db.dialect === 'pg' ? new PgDialect() : new SQLiteSyncDialect()).sqlToQuery(q);

  const explained: ExplainedRequest[] = [];
  for (const request of requests) {
    recorded = [];
    await request.run(repositories);
    const statements: ExplainedStatement[] = [];
    for (const q of recorded) {
      const start = performance.now();
      await db.sql.all(q);
      const ms = performance.now() - start;
      const rows =
        db.dialect === 'pg'
          ? await db.sql.all<{ 'QUERY PLAN': string }>(sql`EXPLAIN (ANALYZE, BUFFERS) ${q}`)
          : await db.sql.all<{ id: number; parent: number; detail: string }>(sql`EXPLAIN QUERY PLAN ${q}`);
      const plan =
        db.dialect === 'pg'
          ? rows.map((r) => (r as { 'QUERY PLAN': string })['QUERY PLAN'])
          : sqlitePlanLines(rows as { id: number; parent: number; detail: string }[]);
      const { sql: text, params } = toQuery(q);
      statements.push({ sql: text.replace(/\s+/g, ' ').trim(), params, ms, plan });
    }
    explained.push({ label: request.label, statements });
  }
  return explained;
}

function sqlitePlanLines(rows: { id: number; parent: number; detail: string }[]): string[] {
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((row) => {
    const d = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, d);
    return `${'  '.repeat(d)}${row.detail}`;
  });
}

export function formatExplained(explained: ExplainedRequest[]): string {
  const out: string[] = [];
  for (const request of explained) {
    const total = request.statements.reduce((sum, s) => sum + s.ms, 0);
    out.push(`--- ${request.label}: ${request.statements.length} statements, ${total.toFixed(1)} ms run alone`);
    for (const s of request.statements) {
      out.push(`  [${s.ms.toFixed(2)} ms] ${s.sql.length > 400 ? `${s.sql.slice(0, 400)}…` : s.sql}`);
      out.push(`    params: ${JSON.stringify(s.params)}`);
      for (const line of s.plan) out.push(`    | ${line}`);
    }
  }
  return out.join('\n');
}
