/**
 * /sync: job history from sync_jobs, the running jobs' progress (live through server-sent
 * events for the owner), and start/cancel buttons for the owner. The buttons are plain forms
 * posting here, so they work without JavaScript; the handlers call the job supervisor the
 * admin API uses and redirect back (303, so a reload does not post again).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { AppError, badRequest } from '../http/errors.ts';
import { isOwner } from '../http/owner.ts';
import { paths } from '../http/page-routes.ts';
import type { Views } from '../http/views.ts';
import type { SyncJobRecord, SyncJobsRepository } from './sync-jobs.repository.ts';

export const SYNC_KINDS = ['imdb', 'tmdb'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

const KIND_LABELS: Record<SyncKind, { name: string; about: string; again: string }> = {
  imdb: {
    name: 'IMDb sync',
    about: 'Downloads the IMDb datasets that changed and imports them.',
    again: 'Import even if the files did not change',
  },
  tmdb: {
    name: 'TMDB backfill',
    about: 'Fills posters and details from TMDB for titles that lack them.',
    again: 'Enrich every title again, not only those that need it',
  },
};

// The one option each kind's form offers: a checkbox, sent as "on" when ticked.
const startForm = z.object({ again: z.literal('on', 'must be on when given').optional() });

/** A running job as the supervisor reports it (server/jobs/supervisor.views.ts JobView). */
export interface RunningJobView {
  kind: string;
  startedAt: string;
  cancelling: boolean;
  stage: string;
  done: number;
  total?: number;
  unit: string;
  percent?: number;
  rate?: number;
}

/** What the page uses of the job supervisor; absent where this process cannot run jobs. */
export interface SyncJobControl {
  start(kind: SyncKind, args?: { force?: boolean; reset?: boolean }): unknown;
  cancel(kind: SyncKind): boolean;
  snapshot(): { running: RunningJobView[] };
}

export interface SyncPagesDeps {
  syncJobs: Pick<SyncJobsRepository, 'list'>;
  jobs?: SyncJobControl;
  views: Views;
}

const HISTORY = 50;

// PostgreSQL's driver hands timestamps back as Date, SQLite as the ISO text stored.
const isoTime = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

/** A sync_jobs row as pages show it: times as ISO text on both dialects. */
export const jobRowView = (job: SyncJobRecord) => ({
  ...job,
  started_at: isoTime(job.started_at) ?? '',
  finished_at: isoTime(job.finished_at),
});
const kindParam = z.enum(SYNC_KINDS, `must be one of ${SYNC_KINDS.join(', ')}`);

function parseKind(raw: string | undefined): SyncKind {
  const result = kindParam.safeParse(raw);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? 'unknown job kind';
    throw new AppError(404, 'jobs.unknown_kind', `kind: ${message}`);
  }
  return result.data;
}

const ownerOnly = () => new AppError(403, 'auth.owner_only', 'only the signed-in owner can start or cancel jobs');
const noSupervisor = () =>
  new AppError(503, 'jobs.unavailable', 'this server process cannot run jobs; use `mediacanon sync imdb` instead');

export function registerSyncPages(app: Hono, { syncJobs, jobs, views }: SyncPagesDeps) {
  app.get('/sync', async (c) => {
    const owner = isOwner(c);
    // Errors and counts can name local paths and hosts: the admin API keeps them to the
    // owner, and so does the page. Visitors see what ran, when, and how it ended.
    const history = (await syncJobs.list(HISTORY))
      .map(jobRowView)
      .map((job) => (owner ? job : { ...job, error: null, stats: null }));
    const running = jobs?.snapshot().running ?? [];
    return views.render(c, 'sync/index', {
      section: 'sync',
      title: 'Sync',
      history,
      running,
      canRun: jobs !== undefined,
      kinds: SYNC_KINDS.map((kind) => ({
        kind,
        ...KIND_LABELS[kind],
        running: running.find((job) => job.kind === kind) ?? null,
      })),
      // Only the owner may read the admin event stream; visitors see the page's snapshot.
      eventsUrl: owner && jobs ? paths.jobEvents() : null,
    });
  });

  app.post('/sync/:kind/start', async (c) => {
    if (!isOwner(c)) throw ownerOnly();
    const kind = parseKind(c.req.param('kind'));
    if (!jobs) throw noSupervisor();
    const form = startForm.safeParse(await c.req.parseBody());
    if (!form.success) throw badRequest('request.invalid_body', `again: ${form.error.issues[0]?.message}`);
    const again = form.data.again === 'on';
    jobs.start(kind, kind === 'imdb' ? { force: again } : { reset: again });
    return c.redirect(paths.sync(), 303);
  });

  app.post('/sync/:kind/cancel', async (c) => {
    if (!isOwner(c)) throw ownerOnly();
    const kind = parseKind(c.req.param('kind'));
    if (!jobs) throw noSupervisor();
    jobs.cancel(kind);
    return c.redirect(paths.sync(), 303);
  });
}
