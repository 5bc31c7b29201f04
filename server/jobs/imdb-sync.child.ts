/**
 * Child-process entry of the IMDb sync (forked by a supervisor with an IPC channel):
 * speaks job-protocol.ts through job-child.ts. Arguments: [--from-dir DIR] [--force].
 * Configuration comes from the environment the parent passes.
 *
 * A cancel aborts a download at once. The import itself runs in one database transaction,
 * so a cancel during it records the run as cancelled and ends the process: the database
 * rolls the transaction back and keeps the previous snapshot.
 */
import { parseArgs } from 'node:util';
import { runImdbSync } from './imdb-sync.ts';
import { runJobChild } from './job-child.ts';

runJobChild(() => {
  const { values } = parseArgs({ options: { 'from-dir': { type: 'string' }, force: { type: 'boolean' } } });
  return {
    kind: 'imdb',
    cancelGraceMs: 1000,
    run: (context) => runImdbSync({ ...context, fromDir: values['from-dir'], force: values.force }),
  };
});
