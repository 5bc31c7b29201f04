/**
 * The IMDb import keeps the files it read as a baseline and records their hash under
 * BASELINE_KEY, so the next import only stages what changed (server/imdb/baseline.ts).
 * That is only sound while the catalogue is what those files made it: an edit by the
 * owner to titles, seasons, episodes or genre links forgets the hash, and the next import
 * compares the whole files again (it keeps the owner's titles, and IMDb's rows are IMDb's).
 */
import { sql } from 'drizzle-orm';

export const BASELINE_KEY = 'imdb_baseline';

export const forgetImdbBaseline = sql`DELETE FROM sync_state WHERE key = ${BASELINE_KEY}`;
