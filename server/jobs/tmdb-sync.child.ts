/**
 * Child-process entry of the TMDB backfill (forked by a supervisor with an IPC channel):
 * speaks job-protocol.ts through job-child.ts. Arguments: [--limit N] [--reset].
 * Configuration comes from the environment the parent passes, the TMDB key also from the
 * settings file in the data dir.
 *
 * Each title is stored as it is enriched, so a cancel (or a kill) loses nothing: the run
 * stops after the titles in flight and the next run resumes with the titles still flagged.
 */
import { parseArgs } from 'node:util';
import { runJobChild } from './job-child.ts';
import { runTmdbSync } from './tmdb-sync.ts';

runJobChild(() => {
  const { values } = parseArgs({ options: { limit: { type: 'string' }, reset: { type: 'boolean' } } });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new Error(`--limit must be a positive whole number (got ${JSON.stringify(values.limit)})`);
  }
  return {
    kind: 'tmdb',
    // A Retry-After wait can be long; a cancel does not wait for it.
    cancelGraceMs: 3000,
    run: (context) => runTmdbSync({ ...context, limit, reset: values.reset }),
  };
});
