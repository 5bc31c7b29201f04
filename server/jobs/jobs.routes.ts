/**
 * The admin jobs API (owner only): what runs and what ran, start, cancel, and the live
 * events as server-sent events. Routes answer 503 where this process has no supervisor.
 *
 *   GET  /api/admin/jobs                 {running, last, history}
 *   POST /api/admin/jobs/:kind           {force? (imdb), reset?, limit? (tmdb)} → 202 JobView
 *   POST /api/admin/jobs/:kind/cancel    → 202 JobView; 409 when not running
 *   GET  /api/admin/jobs/events          event: snapshot, then started|progress|log|finished
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import { parseBody, parseQuery } from '../http/validation.ts';
import { isJobKind, JOB_KINDS, type JobKind } from './job-children.ts';
import type { JobSupervisor } from './supervisor.ts';
import type { SyncJobsRepository } from './sync-jobs.repository.ts';

export interface JobsRoutesDeps {
  jobs?: JobSupervisor;
  syncJobs: Pick<SyncJobsRepository, 'list'>;
  requireAdmin: MiddlewareHandler;
  /** Aborted when the server closes: open event streams end so the close is not held up. */
  shutdown?: AbortSignal;
  /** A comment line this often keeps proxies from dropping an idle stream. */
  keepAliveMs?: number;
}

export const startBody = z.strictObject({
  force: z.boolean({ error: 'must be true or false' }).optional(),
  reset: z.boolean({ error: 'must be true or false' }).optional(),
  limit: z.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(1_000_000).optional(),
});

export const historyQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(200, 'must be at most 200'))
    .optional(),
});

function kindOf(c: Context): JobKind {
  const kind = c.req.param('kind') ?? '';
  if (!isJobKind(kind)) {
    throw new AppError(
      404,
      'jobs.unknown_kind',
      `kind: must be one of ${JOB_KINDS.join(', ')} (got ${kind.slice(0, 40)})`,
    );
  }
  return kind;
}

const supervisorOf = (jobs: JobSupervisor | undefined): JobSupervisor => {
  if (!jobs) {
    throw new AppError(503, 'jobs.unavailable', 'this server process runs no jobs; use `mediacanon sync imdb` instead');
  }
  return jobs;
};

export function registerJobsRoutes(api: Hono, deps: JobsRoutesDeps) {
  const { syncJobs, requireAdmin, shutdown, keepAliveMs = 15_000 } = deps;
  api.use('/admin/jobs', requireAdmin);
  api.use('/admin/jobs/*', requireAdmin);

  api.get('/admin/jobs', async (c) => {
    const { limit = 50 } = parseQuery(c, historyQuery);
    const jobs = supervisorOf(deps.jobs);
    return c.json({ ...jobs.snapshot(), history: await syncJobs.list(limit) });
  });

  api.get('/admin/jobs/events', (c) => {
    const jobs = supervisorOf(deps.jobs);
    c.header('Cache-Control', 'private, no-store');
    // Tells nginx-like proxies not to buffer the stream.
    c.header('X-Accel-Buffering', 'no');
    const response = streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'snapshot', data: JSON.stringify(jobs.snapshot()) });
      await new Promise<void>((resolve) => {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          unsubscribe();
          clearInterval(keepAlive);
          shutdown?.removeEventListener('abort', end);
          resolve();
        };
        const unsubscribe = jobs.subscribe((event) => {
          stream.writeSSE({ event: event.type, data: JSON.stringify(event) }).catch(end);
        });
        const keepAlive = setInterval(() => {
          stream.write(': keep-alive\n\n').catch(end);
        }, keepAliveMs);
        keepAlive.unref();
        stream.onAbort(end);
        if (shutdown?.aborted || stream.aborted) end();
        else shutdown?.addEventListener('abort', end, { once: true });
      });
    });
    // Not kept alive once the stream ends: a quitting server would otherwise wait for the
    // idle connection's keep-alive timeout (EventSource opens a new request to reconnect).
    response.headers.set('Connection', 'close');
    return response;
  });

  api.post('/admin/jobs/:kind', async (c) => {
    const kind = kindOf(c);
    const body = c.req.header('content-length') === '0' || !c.req.raw.body ? {} : await parseBody(c, startBody);
    const job = supervisorOf(deps.jobs).start(kind, body);
    return c.json(job.view(), 202);
  });

  api.post('/admin/jobs/:kind/cancel', (c) => {
    const kind = kindOf(c);
    const jobs = supervisorOf(deps.jobs);
    if (!jobs.cancel(kind)) throw new AppError(409, 'jobs.not_running', `no ${kind} job is running`);
    return c.json(jobs.snapshot().running.find((job) => job.kind === kind) ?? null, 202);
  });
}
