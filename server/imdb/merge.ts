/**
 * The merge from staging into the live tables, written once for both dialects as a list
 * of set-based statements (plain SQL both PostgreSQL and SQLite ≥ 3.39 run: FULL JOIN,
 * UPDATE ... FROM, IS DISTINCT FROM, row values, ON CONFLICT). Each dialect runs the list
 * in one transaction and adds what every statement reports to the stage it belongs to.
 *
 * Each stage first compares staging with the live rows in one pass into a small "changes"
 * table, so a daily run with few changes writes only those rows, and unchanged rows are
 * never rewritten.
 *
 * Staging contract (staging.pg.ts and staging.sqlite.ts build it), each unique by imdb_id:
 *   imdb_titles(imdb_id, type 'movie'|'show', display_name, original_title, start_year,
 *               end_year, runtime_minutes, search_name)
 *   imdb_title_genres(imdb_id, name)            unique by (imdb_id, name)
 *   imdb_episode_names(imdb_id, display_name)
 *   imdb_episodes(imdb_id, parent_id, season, episode, display_name)   display_name: the
 *     name when it was staged with the episode, else NULL (then in imdb_episode_names)
 *   imdb_ratings(imdb_id, average_rating, num_votes)
 */
import { BASELINE_KEY } from '../db/imdb-baseline.ts';
import type { Dialect } from '../db/sql-runner.ts';
import type { BaselinePlan } from './baseline.ts';
import { episodeSteps } from './merge-episodes.ts';
import { RATINGS_PRESENT, ratingsTakenAlong, ratingUpdates } from './merge-ratings.ts';
import type { MergeStage, Tally } from './stats.ts';

export interface MergeStep {
  stage: MergeStage | 'bookkeeping';
  sql: string;
  /** Where the statement's changed-row count (or, for `count` steps, the one number it selects) goes. */
  tally?: keyof Tally | readonly (keyof Tally)[];
  /** The statement is a SELECT of one number, named n. */
  count?: true;
  /**
   * A step for one dialect only: SQLite gets indexes for the lookups it does row by row,
   * PostgreSQL (which hash-joins instead) gets statistics on the temp tables.
   */
  only?: Dialect;
  /**
   * The statement inserts into this live table: a dialect filling a (nearly) empty
   * catalogue may set the table's indexes aside around it (see bulk-insert.pg.ts).
   */
  bulkInto?: string;
  /**
   * The rows this insert adds are unique by construction and it arbitrates no ON CONFLICT,
   * so a bulk insert on PostgreSQL may set aside the table's unique indexes that no
   * constraint owns (dropping a constraint would lock readers out) and build them after.
   */
  bulkUnique?: true;
  /**
   * The statement reads what title.episode stages (imdb_episodes, imdb_episode_names),
   * which SQLite may still be staging on another thread when the merge begins.
   */
  readsEpisodes?: true;
  /** A `count` step that must select 1, or the merge stops with BaselineUnusable(message). */
  expectOne?: string;
  /**
   * A whole import places episodes one of two ways (merge-episodes.ts): into a catalogue
   * that holds none yet ('none') or among the live ones ('some'). Each dialect selects
   * LIVE_EPISODES_SQL once no other import can run, and keeps the steps that apply
   * (stepsForCatalogue).
   */
  liveEpisodes?: 'none' | 'some';
}

/** 1 when the catalogue holds any episode (the owner's included), else 0. */
export const LIVE_EPISODES_SQL = 'SELECT CASE WHEN EXISTS (SELECT 1 FROM show_episodes) THEN 1 ELSE 0 END AS n';

export function stepsForCatalogue(steps: MergeStep[], liveEpisodes: number | string | undefined): MergeStep[] {
  const which = Number(liveEpisodes) === 1 ? 'some' : 'none';
  return steps.filter((step) => !step.liveEpisodes || step.liveEpisodes === which);
}

export interface MergeOptions {
  dialect: Dialect;
  now: Date;
  source: 'sample' | 'full';
  /**
   * A delta import (load-delta.ts): staging holds only what changed since the baseline,
   * and each stage compares the live rows of its scope table's tconsts, not every row.
   */
  delta?: { baselineHash: string };
  /** The files' hash, recorded as the baseline the next import compares with (baseline.ts). */
  nextBaselineHash?: string | null;
}

export function mergeSteps({ dialect, now, source, delta, nextBaselineHash }: MergeOptions): MergeStep[] {
  const iso = now.toISOString();
  // A bare literal would be text to PostgreSQL in INSERT ... SELECT; SQLite stores ISO text.
  const stamp = dialect === 'pg' ? `CAST('${iso}' AS timestamptz)` : `'${iso}'`;
  const sourceValue = source === 'sample' ? 'sample' : 'full';
  const scoped = delta !== undefined;
  const upsert = (key: string, value: string) =>
    `INSERT INTO sync_state (key, value, updated_at) VALUES ('${key}', '${value}', ${stamp})
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
  return [
    // Under the merge's lock: the catalogue must still be what the baseline says (another
    // import, or an edit by the owner, forgets it).
    ...(delta
      ? [
          {
            stage: 'bookkeeping',
            count: true,
            expectOne: 'the catalogue changed since the baseline was recorded',
            sql: `SELECT count(*) AS n FROM sync_state WHERE key = '${BASELINE_KEY}' AND value = '${hex(delta.baselineHash)}'`,
          } satisfies MergeStep,
        ]
      : []),
    // Titles (with movies, shows and ratings), then genre links, then episodes: PostgreSQL
    // may commit each as a stage of its own and build its keys elsewhere while the next
    // goes in (import.pg.ts), so no step writes the tables of an earlier one.
    ...titleSteps(stamp, scoped),
    RATINGS_PRESENT,
    ...genreSteps(scoped),
    ...episodeSteps(scoped).map((step): MergeStep => ({ ...step, readsEpisodes: true })),
    { stage: 'bookkeeping', sql: upsert('imdb_catalogue', sourceValue) },
    {
      stage: 'bookkeeping',
      sql: nextBaselineHash
        ? upsert(BASELINE_KEY, hex(nextBaselineHash))
        : `DELETE FROM sync_state WHERE key = '${BASELINE_KEY}'`,
    },
  ];
}

/** The merge of one run on one dialect, as the plan says (a delta or whole files). */
export function dialectSteps(dialect: Dialect, source: MergeOptions['source'], plan: BaselinePlan): MergeStep[] {
  return mergeSteps({
    dialect,
    now: new Date(),
    source,
    ...(plan.delta && { delta: { baselineHash: plan.delta.baselineHash } }),
    nextBaselineHash: plan.nextBaselineHash,
  }).filter((step) => !step.only || step.only === dialect);
}

/** Names a statement that took long in the log, for whoever tunes a catalogue this size. */
export function logSlowStep(step: MergeStep, ms: number, log?: (message: string) => void): void {
  if (ms < SLOW_STEP_MS) return;
  const what = step.sql.replace(/\s+/g, ' ').trim().slice(0, 90);
  log?.(`merge ${step.stage}: ${Math.round(ms)} ms in ${what}`);
}

const SLOW_STEP_MS = 2000;

function hex(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256 hash: ${hash}`);
  return hash;
}

// Every column the import owns; a title is rewritten only when one of them differs.
const TITLE_COLUMNS = [
  'type',
  'display_name',
  'search_name',
  'original_title',
  'start_year',
  'end_year',
  'runtime_minutes',
] as const;
// A runtime IMDb lacks does not erase one stored already (TMDB may have filled it in).
const KEPT_WHEN_NULL: ReadonlySet<string> = new Set(['runtime_minutes']);
const titleChanged = TITLE_COLUMNS.map((column) =>
  KEPT_WHEN_NULL.has(column)
    ? `(s.${column} IS NOT NULL AND t.${column} IS DISTINCT FROM s.${column})`
    : `t.${column} IS DISTINCT FROM s.${column}`,
).join(' OR ');

/**
 * In a delta import, the live rows a stage compares with staging: those of the scope's
 * tconsts, copied into a small table first (both sides of a FULL JOIN are joined as tables).
 */
export function liveRows(stage: MergeStage, table: string, select: string, scoped: boolean): MergeStep[] {
  return scoped
    ? [
        { stage, sql: `CREATE TEMP TABLE imdb_live_${table} AS ${select}` },
        { stage, only: 'pg', sql: `ANALYZE imdb_live_${table}` },
      ]
    : [];
}

const REMOVED_TITLES = 'SELECT id FROM imdb_title_changes WHERE imdb_id IS NULL';
/** The titles that were of kind `type` and are of another now. */
const LEAVING = (type: 'movie' | 'show') =>
  `SELECT id FROM imdb_title_changes WHERE old_type = '${type}' AND type <> '${type}'`;

/**
 * Deletes the seasons and episodes of the shows whose titles `titleIds` selects, as ON
 * DELETE CASCADE would when the shows go. The bulk path on PostgreSQL sets the foreign
 * keys of the tables it fills aside, and their cascades with them: a title or show deleted
 * then left its rows behind, and the keys could not be added back (a first full sync over
 * the bundled sample failed so). What else a title owns is deleted by name too (titleSteps).
 */
function showContentSteps(stage: MergeStage, titleIds: string): MergeStep[] {
  const shows = `SELECT id FROM shows WHERE title_id IN (${titleIds})`;
  return [
    {
      stage,
      sql: `DELETE FROM show_episodes WHERE season_id IN (SELECT id FROM show_seasons WHERE show_id IN (${shows}))`,
    },
    { stage, sql: `DELETE FROM show_seasons WHERE show_id IN (${shows})` },
  ];
}

function titleSteps(stamp: string, scoped: boolean): MergeStep[] {
  const stage = 'titles';
  const insertNew = `INSERT INTO titles (${TITLE_COLUMNS.join(', ')}, average_rating, num_votes, imdb_id, created_at, updated_at)
    SELECT ${TITLE_COLUMNS.map((c) => `c.${c}`).join(', ')}, r.average_rating, r.num_votes, c.imdb_id, ${stamp}, ${stamp}
    FROM imdb_title_changes c LEFT JOIN imdb_ratings r ON r.imdb_id = c.imdb_id
    WHERE c.id IS NULL ORDER BY c.imdb_id`;
  const newTitlesRated = ratingsTakenAlong(scoped);
  const set = TITLE_COLUMNS.map((column) =>
    KEPT_WHEN_NULL.has(column) ? `${column} = COALESCE(c.${column}, titles.${column})` : `${column} = c.${column}`,
  ).join(', ');
  const live = scoped ? 'imdb_live_titles' : 'titles';
  return [
    ...liveRows(
      stage,
      'titles',
      'SELECT * FROM titles WHERE imdb_id IN (SELECT imdb_id FROM imdb_title_scope)',
      scoped,
    ),
    // One pass over both sides finds every difference: new titles (no id), titles IMDb
    // removed (no imdb_id in the file) and changed ones; later steps touch only these rows.
    // The owner's titles (imdb_id NULL) are left out of the comparison. Both sides are
    // joined as tables: SQLite would scan a subquery on the right once per row.
    {
      stage,
      sql: `CREATE TEMP TABLE imdb_title_changes AS
            SELECT t.id, t.type AS old_type, s.imdb_id, ${TITLE_COLUMNS.map((c) => `s.${c}`).join(', ')}
            FROM imdb_titles s FULL JOIN ${live} t ON t.imdb_id = s.imdb_id
            WHERE (t.id IS NULL OR t.imdb_id IS NOT NULL)
            AND (t.id IS NULL OR s.imdb_id IS NULL OR ${titleChanged})`,
    },
    {
      stage,
      count: true,
      tally: 'moved',
      sql: 'SELECT count(*) AS n FROM imdb_title_changes WHERE id IS NOT NULL AND imdb_id IS NOT NULL AND type <> old_type',
    },
    // With the movie or show row, seasons, episodes and genre links: deleted by name, not
    // left to the cascades (see showContentSteps).
    ...showContentSteps(stage, REMOVED_TITLES),
    ...['shows', 'movies', 'title_genres'].map(
      (table): MergeStep => ({ stage, sql: `DELETE FROM ${table} WHERE title_id IN (${REMOVED_TITLES})` }),
    ),
    { stage, tally: 'removed', sql: `DELETE FROM titles WHERE id IN (${REMOVED_TITLES})` },
    {
      stage,
      tally: 'updated',
      sql: `UPDATE titles SET ${set}, updated_at = ${stamp}
            FROM imdb_title_changes c WHERE titles.id = c.id AND c.imdb_id IS NOT NULL`,
    },
    // Before the new titles go in: the ratings compared are those of titles already there
    // (all of them, the day after; few or none, the first time).
    ...ratingUpdates(scoped),
    // New titles take their rating along: one write instead of an insert and an update.
    ...newTitlesRated.before,
    { stage, only: 'sqlite', tally: 'inserted', bulkInto: 'titles', sql: insertNew },
    // PostgreSQL gives each new title its movie or show row in the same statement, from the
    // ids the insert returns, instead of joining the new titles with titles again by tconst
    // (3.7 s + 2.1 s for the 1.2M of a first import at full scale).
    {
      stage,
      only: 'pg',
      count: true,
      tally: 'inserted',
      bulkInto: 'titles',
      sql: `WITH new AS (${insertNew} RETURNING id, type),
              new_movies AS (INSERT INTO movies (title_id) SELECT id FROM new WHERE type = 'movie' ORDER BY id),
              new_shows AS (INSERT INTO shows (title_id) SELECT id FROM new WHERE type = 'show' ORDER BY id)
            SELECT count(*) AS n FROM new`,
    },
    ...newTitlesRated.after,
    // A title that changed kind leaves its old table (a show takes its seasons along) and,
    // like every new title on SQLite, gets the row of its kind.
    ...showContentSteps(stage, LEAVING('show')),
    ...(['movie', 'show'] as const).flatMap((type): MergeStep[] => {
      // New titles (old_type NULL) too on SQLite; on PostgreSQL they have theirs already.
      const joining = { sqlite: `(c.id IS NULL OR c.old_type <> '${type}')`, pg: `c.old_type <> '${type}'` };
      return [
        { stage, sql: `DELETE FROM ${type}s WHERE title_id IN (${LEAVING(type)})` },
        ...(['sqlite', 'pg'] as const).map(
          (only): MergeStep => ({
            stage,
            only,
            bulkInto: `${type}s`,
            sql: `INSERT INTO ${type}s (title_id) SELECT t.id FROM imdb_title_changes c JOIN titles t ON t.imdb_id = c.imdb_id
                  WHERE c.type = '${type}' AND ${joining[only]} ORDER BY t.id`,
          }),
        ),
      ];
    }),
    // Counted once merged: in a delta import, the catalogue's titles.
    {
      stage,
      count: true,
      tally: 'present',
      sql: scoped
        ? 'SELECT count(*) AS n FROM titles WHERE imdb_id IS NOT NULL'
        : 'SELECT count(*) AS n FROM imdb_titles',
    },
  ];
}

function genreSteps(scoped: boolean): MergeStep[] {
  const stage = 'titleGenres';
  const live = scoped ? 'imdb_live_title_genres' : 'title_genres';
  return [
    {
      stage: 'genres',
      tally: 'inserted',
      // WHERE true: SQLite needs it to tell ON CONFLICT from a join's ON.
      sql: `INSERT INTO genres (name, is_custom) SELECT DISTINCT name, false FROM imdb_title_genres WHERE true
            ON CONFLICT (name) DO NOTHING`,
    },
    {
      stage: 'genres',
      count: true,
      tally: 'present',
      sql: scoped
        ? 'SELECT count(*) AS n FROM genres WHERE is_custom = false'
        : 'SELECT count(*) AS n FROM (SELECT DISTINCT name FROM imdb_title_genres) d',
    },
    {
      stage,
      sql: `CREATE TEMP TABLE imdb_genre_links AS SELECT t.id AS title_id, g.id AS genre_id
            FROM imdb_title_genres s JOIN titles t ON t.imdb_id = s.imdb_id JOIN genres g ON g.name = s.name`,
    },
    { stage, only: 'pg', sql: 'ANALYZE imdb_genre_links' },
    ...liveRows(
      stage,
      'title_genres',
      `SELECT title_id, genre_id FROM title_genres WHERE title_id IN
         (SELECT id FROM titles WHERE imdb_id IN (SELECT imdb_id FROM imdb_title_scope))`,
      scoped,
    ),
    // Compared with IMDb's links only: custom genres and their links are the owner's.
    {
      stage,
      sql: `CREATE TEMP TABLE imdb_genre_link_changes AS
            SELECT l.title_id AS add_title_id, l.genre_id AS add_genre_id,
              tg.title_id AS drop_title_id, tg.genre_id AS drop_genre_id
            FROM imdb_genre_links l
            FULL JOIN ${live} tg ON tg.title_id = l.title_id AND tg.genre_id = l.genre_id
            WHERE tg.title_id IS NULL
            OR (l.title_id IS NULL
                AND EXISTS (SELECT 1 FROM titles t WHERE t.id = tg.title_id AND t.imdb_id IS NOT NULL)
                AND EXISTS (SELECT 1 FROM genres g WHERE g.id = tg.genre_id AND g.is_custom = false))`,
    },
    {
      stage,
      tally: 'removed',
      sql: `DELETE FROM title_genres WHERE (title_id, genre_id) IN
              (SELECT drop_title_id, drop_genre_id FROM imdb_genre_link_changes WHERE add_title_id IS NULL)`,
    },
    {
      stage,
      tally: 'inserted',
      bulkInto: 'title_genres',
      // A link IMDb lists to a genre the owner made custom may exist already: not an error.
      // Skipped by an anti-join, not ON CONFLICT, which PostgreSQL checks row by row (4.2 s
      // instead of 1.8 s for the 2.2M links of a first import at full scale).
      sql: `INSERT INTO title_genres (title_id, genre_id)
            SELECT add_title_id, add_genre_id FROM imdb_genre_link_changes c WHERE drop_title_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM title_genres tg WHERE tg.title_id = c.add_title_id AND tg.genre_id = c.add_genre_id)
            ORDER BY add_title_id, add_genre_id`,
    },
    {
      stage,
      count: true,
      tally: 'present',
      sql: scoped
        ? `SELECT count(*) AS n FROM title_genres tg JOIN genres g ON g.id = tg.genre_id AND g.is_custom = false
           WHERE EXISTS (SELECT 1 FROM titles t WHERE t.id = tg.title_id AND t.imdb_id IS NOT NULL)`
        : 'SELECT count(*) AS n FROM imdb_genre_links',
    },
  ];
}
