/** A real app over a fresh test database, and request helpers for its JSON API. */
import type { SQL } from 'drizzle-orm';
import { createServer } from '../server/app.ts';
import type { Dialect, SqlRunner } from '../server/db/sql-runner.ts';
import { createEngagementRecorder, type EngagementRecorder } from '../server/engagement/engagement.recorder.ts';
import { createMemoryLogger } from '../server/logger.ts';
import { createRepositories } from '../server/repositories.ts';
import { openTestDatabase } from './databases.ts';

export const TEST_TOKEN = 'test-admin-token-0123456789';

/** Wraps a runner to count the statements it runs (transactions count what runs inside). */
function countingRunner(inner: SqlRunner, counter: { queries: number }): SqlRunner {
  const count =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A) => {
      counter.queries++;
      return fn(...args);
    };
  return {
    dialect: inner.dialect,
    all: count((q: SQL) => inner.all(q)) as SqlRunner['all'],
    get: count((q: SQL) => inner.get(q)) as SqlRunner['get'],
    run: count((q: SQL) => inner.run(q)),
    transaction: (work) => inner.transaction((tx) => work(countingRunner(tx, counter))),
  };
}

export interface TestAppOptions {
  /**
   * Record views and clicks with a real recorder (its timer never fires in a test: call
   * engagement.flush()). Without it the app gets the no-op recorder.
   */
  engagement?: boolean | { maxPending?: number };
}

export async function createTestApp(dialect: Dialect, options: TestAppOptions = {}) {
  const db = await openTestDatabase(dialect);
  const counter = { queries: 0 };
  const counted = { ...db, sql: countingRunner(db.sql, counter) };
  const repositories = createRepositories(counted);
  const log = createMemoryLogger();
  // Uncounted runner: flushes are not the request's queries.
  const engagement: EngagementRecorder | undefined = options.engagement
    ? createEngagementRecorder({
        sql: db.sql,
        log,
        flushEveryMs: 3_600_000,
        ...(typeof options.engagement === 'object' && options.engagement),
      })
    : undefined;
  const app = createServer({ db: counted, repositories, adminToken: TEST_TOKEN, log, engagement });

  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const admin = { authorization: `Bearer ${TEST_TOKEN}` };

  return {
    app,
    db,
    repositories,
    log,
    counter,
    engagement,
    get: (path: string) => request('GET', path),
    /** Writes with the admin token. */
    post: (path: string, body: unknown) => request('POST', path, body, admin),
    put: (path: string, body: unknown) => request('PUT', path, body, admin),
    del: (path: string) => request('DELETE', path, undefined, admin),
    request,
    /**
     * Signs in as the owner the way the tray does (a one-time link exchanged for the session
     * cookie) and returns the headers of a same-origin browser request: the cookie, and the
     * Origin the CSRF check wants on writes.
     */
    signInOwner: async (): Promise<{ cookie: string; origin: string }> => {
      const minted = await request('POST', '/api/admin/sign-in-tokens', undefined, admin);
      const { path } = (await minted.json()) as { path: string };
      const signedIn = await request('GET', path);
      const cookie = /^(mc_session=[^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1];
      if (!cookie) throw new Error(`sign-in failed: ${signedIn.status}`);
      return { cookie, origin: 'http://localhost' };
    },
    close: async () => {
      await engagement?.stop();
      await db.close();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
