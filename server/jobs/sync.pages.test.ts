import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { errorPageRenderer } from '../http/errors.pages.ts';
import { registerErrorHandling } from '../http/errors.ts';
import { createViews } from '../http/views.ts';
import { type RunningJobView, registerSyncPages, type SyncJobControl, type SyncKind } from './sync.pages.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

const XSS = '<script>alert(1)</script>';
const owner = { authorization: `Bearer ${TEST_TOKEN}` };

describeEachDialect('sync page', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('lists the job history from sync_jobs, newest first, escaped', async () => {
    const syncJobs = createSyncJobsRepository({ sql: t.db.sql });
    const first = await syncJobs.start('imdb');
    await syncJobs.finish(first, 'failed', null, `download failed ${XSS}`);
    const second = await syncJobs.start('imdb');
    await syncJobs.finish(second, 'succeeded', { titles: { inserted: 12 } });

    const res = await t.request('GET', '/sync', undefined, owner);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('download failed &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.indexOf('>succeeded</span>')).toBeLessThan(html.indexOf('>failed</span>'));
    expect(html).toContain('&quot;inserted&quot;: 12');
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d<\/time>/);

    // Visitors see what ran and how it ended, not the error text or the counts.
    const visitor = await (await t.get('/sync')).text();
    expect(visitor.match(/<span class="badge[^"]*">(succeeded|failed)<\/span>/g)).toHaveLength(2);
    expect(visitor).not.toContain('download failed');
    expect(visitor).not.toContain('inserted');

    // The home page shows the latest run.
    const home = await (await t.get('/')).text();
    expect(home).toMatch(/<span class="badge ok">succeeded<\/span>\s*imdb sync started/);
  });

  it('says jobs cannot run here without a supervisor, and shows no buttons to visitors', async () => {
    const visitor = await (await t.get('/sync')).text();
    expect(visitor).toContain('No job has run yet.');
    expect(visitor).toContain("Jobs can't run from this server process");
    expect(visitor).not.toContain('<form method="post"');
    expect(visitor).not.toContain('data-events-url');
    expect(visitor).not.toContain('sync-progress.js');

    const res = await t.request('POST', '/sync/imdb/start');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('only the signed-in owner');
    const asOwner = await t.request('POST', '/sync/imdb/start', undefined, owner);
    expect(asOwner.status).toBe(503);
    expect(await asOwner.text()).toContain('mediacanon sync imdb');
  });
});

/** A supervisor double that records what the page asked of it. */
function fakeJobs(running: RunningJobView[] = []) {
  const calls: string[] = [];
  const jobs: SyncJobControl = {
    start: (kind: SyncKind, args) => calls.push(`start ${kind} ${JSON.stringify(args)}`),
    cancel: (kind: SyncKind) => {
      calls.push(`cancel ${kind}`);
      return true;
    },
    snapshot: () => ({ running }),
  };
  return { jobs, calls };
}

function pageApp(jobs: SyncJobControl, asOwner: boolean) {
  const app = new Hono();
  const views = createViews();
  registerErrorHandling(app, { log: () => {}, page: errorPageRenderer(views) });
  app.use(async (c, next) => {
    c.set('owner', asOwner);
    await next();
  });
  registerSyncPages(app, { syncJobs: { list: async () => [] }, jobs, views });
  return app;
}

describe('sync page with a job supervisor', () => {
  const running: RunningJobView = {
    kind: 'imdb',
    startedAt: '2026-01-01T00:00:00.000Z',
    cancelling: false,
    stage: `merge titles ${XSS}`,
    done: 500,
    total: 1000,
    unit: 'rows',
    percent: 50,
    rate: 250,
  };

  it("shows the running job's progress and, to the owner, cancel and start forms with live events", async () => {
    const { jobs } = fakeJobs([running]);
    const html = await (await pageApp(jobs, true).request('/sync')).text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('merge titles &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<progress max="100" value="50"');
    expect(html).toContain('500 of 1,000 rows · 250 rows/s');
    expect(html).toContain('action="/sync/imdb/cancel"');
    expect(html).toContain('action="/sync/tmdb/start"');
    expect(html).not.toContain('action="/sync/imdb/start"');
    expect(html).toContain('data-events-url="/api/admin/jobs/events"');
    expect(html).toContain('<script src="/static/js/sync-progress.js" defer></script>');
  });

  it('shows visitors the progress without buttons or the event stream', async () => {
    const { jobs } = fakeJobs([running]);
    const html = await (await pageApp(jobs, false).request('/sync')).text();
    expect(html).toContain('<progress max="100" value="50"');
    expect(html).not.toContain('<form method="post"');
    expect(html).not.toContain('data-events-url');
  });

  it('starts and cancels through the supervisor and redirects back with 303', async () => {
    const { jobs, calls } = fakeJobs();
    const app = pageApp(jobs, true);
    const form = (body: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const started = await app.request('/sync/imdb/start', form(''));
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe('/sync');
    expect((await app.request('/sync/imdb/start', form('again=on'))).status).toBe(303);
    expect((await app.request('/sync/tmdb/start', form('again=on'))).status).toBe(303);
    const cancelled = await app.request('/sync/tmdb/cancel', { method: 'POST' });
    expect(cancelled.status).toBe(303);
    expect(calls).toEqual([
      'start imdb {"force":false}',
      'start imdb {"force":true}',
      'start tmdb {"reset":true}',
      'cancel tmdb',
    ]);

    const bad = await app.request('/sync/imdb/start', form('again=yes'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('again: must be on when given');

    const unknown = await app.request('/sync/netflix/start', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('kind: must be one of imdb, tmdb');
    expect(calls).toHaveLength(4);
  });

  it('refuses visitors before touching the supervisor', async () => {
    const { jobs, calls } = fakeJobs();
    const res = await pageApp(jobs, false).request('/sync/imdb/start', { method: 'POST' });
    expect(res.status).toBe(403);
    expect(calls).toEqual([]);
  });
});
