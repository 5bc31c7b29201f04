/**
 * Seasons and episodes from title.episode, merged set-based (see merge.ts for the staging
 * contract). Rules:
 * - an episode is placed only under a show of the catalogue (after the titles merge);
 *   others count as unknownParent;
 * - one episode per (show, season, episode): the lowest tconst wins, so reruns choose the
 *   same one; the rest count as duplicates;
 * - the owner's episodes (imdb_id NULL) are never moved or removed: an IMDb episode whose
 *   slot one of them holds is skipped (slotTaken);
 * - episodes IMDb no longer lists (or that can no longer be placed) are removed, and a
 *   season that lost IMDb episodes is removed once nothing at all is left in it.
 * Here the placement among the catalogue's episodes; into a catalogue with none yet, see
 * merge-episodes-first.ts.
 */
import { liveRows, type MergeStep } from './merge.ts';
import { firstPlacementSteps, PG_EPISODE_NAME, SQLITE_EPISODE_NAME, UNKNOWN_PARENT } from './merge-episodes-first.ts';

/**
 * `scoped`: a delta import (load-delta.ts), where imdb_episodes holds the episodes whose
 * placement may have changed and imdb_episode_scope their tconsts (and those of episodes
 * gone): only the live episodes of that scope are compared.
 */
export function episodeSteps(scoped: boolean): MergeStep[] {
  const amongLive = [...placementSteps(scoped), ...seasonSteps(scoped), ...episodeChangeSteps(scoped)];
  if (scoped) return amongLive;
  return [
    ...firstPlacementSteps().map((step): MergeStep => ({ ...step, liveEpisodes: 'none' })),
    ...amongLive.map((step): MergeStep => ({ ...step, liveEpisodes: 'some' })),
  ];
}

const sameSlot = (a: string, b: string) =>
  ['show_id', 'season', 'episode'].map((column) => `${a}.${column} = ${b}.${column}`).join(' AND ');

function placementSteps(scoped: boolean): MergeStep[] {
  const stage = 'episodes';
  return [
    // Where each episode goes. Its season usually exists already: the id comes along in
    // this pass, and only new seasons are looked up again once inserted.
    ...(['sqlite', 'pg'] as const).map(
      (only): MergeStep => ({
        stage,
        only,
        sql: `CREATE TEMP TABLE imdb_episode_targets AS
              SELECT e.imdb_id, sh.id AS show_id, e.season, ss.id AS season_id, e.episode,
                ${only === 'sqlite' ? SQLITE_EPISODE_NAME('e') : PG_EPISODE_NAME('e')} AS display_name
              FROM imdb_episodes e
              JOIN titles t ON t.imdb_id = e.parent_id
              JOIN shows sh ON sh.title_id = t.id
              LEFT JOIN show_seasons ss ON ss.show_id = sh.id AND ss.season = e.season
              ${only === 'pg' ? 'LEFT JOIN imdb_episode_names n ON n.imdb_id = e.imdb_id' : ''}`,
      }),
    ),
    UNKNOWN_PARENT,
    {
      stage,
      only: 'sqlite',
      sql: 'CREATE INDEX imdb_episode_targets_slot ON imdb_episode_targets (show_id, season, episode, imdb_id)',
    },
    // A delta import places a few episodes among the live ones: an episode already in a slot
    // one of them wants competes for it as it would in a full import.
    ...(scoped ? competitorSteps() : []),
    { stage, only: 'pg', sql: 'ANALYZE imdb_episode_targets' },
    // New seasons first: a slot's duplicates share its season, so dropping them afterwards
    // changes nothing here.
    {
      stage: 'seasons',
      tally: 'inserted',
      bulkInto: 'show_seasons',
      sql: `INSERT INTO show_seasons (show_id, season) SELECT DISTINCT show_id, season FROM imdb_episode_targets
            WHERE season_id IS NULL ORDER BY show_id, season ON CONFLICT (show_id, season) DO NOTHING`,
    },
    ...(scoped ? slotStepsByRow() : [...slotStepsByRow('sqlite'), ...slotStepsSorted()]),
  ];
}

/**
 * Keeps each slot's lowest tconst and looks up the new seasons' ids, row by row: for a
 * delta import's few targets, and on SQLite, where one ordered pass over the slot index
 * finds the rare slots held twice and only their extra episodes are looked up again.
 */
function slotStepsByRow(only?: 'sqlite'): MergeStep[] {
  return [
    {
      stage: 'episodes',
      only,
      tally: 'duplicates',
      sql: `DELETE FROM imdb_episode_targets WHERE imdb_id IN (
              SELECT x.imdb_id FROM imdb_episode_targets x JOIN (
                SELECT show_id, season, episode, min(imdb_id) AS kept FROM imdb_episode_targets
                GROUP BY show_id, season, episode HAVING count(*) > 1) d
              ON ${sameSlot('x', 'd')} AND x.imdb_id <> d.kept)`,
    },
    {
      stage: 'seasons',
      only,
      sql: `UPDATE imdb_episode_targets SET season_id = ss.id FROM show_seasons ss
            WHERE imdb_episode_targets.season_id IS NULL
            AND ss.show_id = imdb_episode_targets.show_id AND ss.season = imdb_episode_targets.season`,
    },
  ];
}

/**
 * The same for whole files on PostgreSQL, where a DELETE or UPDATE of millions of rows
 * rewrites each of them: the targets are written again in one sorted pass that keeps each
 * slot's lowest tconst and takes every season's id (all exist by now). At full scale the
 * DELETE and UPDATE took 15.6 s, this pass 8.1 s.
 */
function slotStepsSorted(): MergeStep[] {
  const stage = 'episodes';
  return [
    {
      stage,
      only: 'pg',
      sql: `CREATE TEMP TABLE imdb_episode_slots AS
            SELECT DISTINCT ON (x.show_id, x.season, x.episode)
              x.imdb_id, x.show_id, x.season, ss.id AS season_id, x.episode, x.display_name
            FROM imdb_episode_targets x JOIN show_seasons ss ON ss.show_id = x.show_id AND ss.season = x.season
            ORDER BY x.show_id, x.season, x.episode, x.imdb_id`,
    },
    {
      stage,
      only: 'pg',
      count: true,
      tally: 'duplicates',
      sql: 'SELECT (SELECT count(*) FROM imdb_episode_targets) - (SELECT count(*) FROM imdb_episode_slots) AS n',
    },
    {
      stage,
      only: 'pg',
      sql: 'DROP TABLE imdb_episode_targets',
    },
    { stage, only: 'pg', sql: 'ALTER TABLE imdb_episode_slots RENAME TO imdb_episode_targets' },
  ];
}

function competitorSteps(): MergeStep[] {
  const stage = 'episodes';
  return [
    {
      stage,
      sql: `INSERT INTO imdb_episode_targets (imdb_id, show_id, season, season_id, episode, display_name)
            SELECT DISTINCT e.imdb_id, x.show_id, x.season, ss.id, e.episode, CAST(NULL AS text)
            FROM imdb_episode_targets x
            JOIN show_seasons ss ON ss.show_id = x.show_id AND ss.season = x.season
            JOIN show_episodes e ON e.season_id = ss.id AND e.episode = x.episode
            WHERE e.imdb_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM imdb_episode_scope sc WHERE sc.imdb_id = e.imdb_id)`,
    },
    {
      stage,
      sql: `INSERT INTO imdb_episode_scope (imdb_id) SELECT imdb_id FROM imdb_episode_targets x
            WHERE NOT EXISTS (SELECT 1 FROM imdb_episode_scope sc WHERE sc.imdb_id = x.imdb_id)`,
    },
  ];
}

function seasonSteps(scoped: boolean): MergeStep[] {
  const stage = 'seasons';
  return [
    ...(scoped
      ? []
      : [
          {
            stage,
            count: true,
            tally: 'present',
            sql: 'SELECT count(*) AS n FROM (SELECT DISTINCT season_id FROM imdb_episode_targets) d',
          } satisfies MergeStep,
        ]),
    {
      stage: 'episodes',
      tally: 'slotTaken',
      // Probes the owner's few episodes, not the whole table, for each target.
      sql: `DELETE FROM imdb_episode_targets WHERE (season_id, episode) IN
              (SELECT season_id, episode FROM show_episodes WHERE imdb_id IS NULL)`,
    },
    {
      stage: 'episodes',
      only: 'sqlite',
      sql: 'CREATE UNIQUE INDEX imdb_episode_targets_imdb_id ON imdb_episode_targets (imdb_id)',
    },
    { stage: 'episodes', only: 'pg', sql: 'ANALYZE imdb_episode_targets' },
  ];
}

// A name IMDb lacks does not erase one stored already (TMDB may have filled it in).
const EPISODE_CHANGED = `e.id IS NULL OR x.imdb_id IS NULL OR e.season_id <> x.season_id OR e.episode <> x.episode
  OR (x.display_name IS NOT NULL AND e.display_name IS DISTINCT FROM x.display_name)`;

function episodeChangeSteps(scoped: boolean): MergeStep[] {
  const stage = 'episodes';
  const moved = 'id IS NOT NULL AND imdb_id IS NOT NULL AND (season_id <> old_season_id OR episode <> old_episode)';
  const live = scoped ? 'imdb_live_episodes' : 'show_episodes';
  return [
    ...liveRows(
      stage,
      'episodes',
      `SELECT id, season_id, episode, imdb_id, display_name FROM show_episodes
       WHERE imdb_id IN (SELECT imdb_id FROM imdb_episode_scope)`,
      scoped,
    ),
    // One pass over both sides (as tables, see imdb_title_changes): new episodes (no id),
    // episodes IMDb dropped or that can no longer be placed (no imdb_id), moved or renamed
    // ones. The owner's episodes (imdb_id NULL) are left out; the rest is untouched.
    {
      stage,
      sql: `CREATE TEMP TABLE imdb_episode_changes AS
            SELECT e.id, e.season_id AS old_season_id, e.episode AS old_episode,
              x.imdb_id, x.season_id, x.episode, x.display_name
            FROM imdb_episode_targets x FULL JOIN ${live} e ON e.imdb_id = x.imdb_id
            WHERE (e.id IS NULL OR e.imdb_id IS NOT NULL) AND (${EPISODE_CHANGED})`,
    },
    {
      stage,
      tally: 'removed',
      sql: 'DELETE FROM show_episodes WHERE id IN (SELECT id FROM imdb_episode_changes WHERE imdb_id IS NULL)',
    },
    // Episodes changing slot first move aside to -id (real numbers are never negative), so
    // swaps and shifts never meet the unique (season_id, episode) key halfway.
    {
      stage,
      sql: `UPDATE show_episodes SET episode = -id WHERE id IN (SELECT id FROM imdb_episode_changes WHERE ${moved})`,
    },
    {
      stage,
      tally: 'updated',
      sql: `UPDATE show_episodes SET season_id = c.season_id, episode = c.episode,
              display_name = COALESCE(c.display_name, show_episodes.display_name)
            FROM imdb_episode_changes c WHERE show_episodes.id = c.id AND c.imdb_id IS NOT NULL`,
    },
    {
      stage,
      tally: 'inserted',
      bulkInto: 'show_episodes',
      bulkUnique: true,
      // In tconst order the imdb_id key only ever appends; on PostgreSQL the slot key is
      // set aside and built in one sorted pass afterwards (8.1M episodes into a table of
      // this shape: 22 s, against 28 s in slot order with both keys in place).
      sql: `INSERT INTO show_episodes (season_id, episode, imdb_id, display_name)
            SELECT season_id, episode, imdb_id, display_name FROM imdb_episode_changes
            WHERE id IS NULL ORDER BY imdb_id`,
    },
    // A season that lost IMDb episodes goes once nothing is left in it, not even the owner's.
    {
      stage: 'seasons',
      tally: 'removed',
      sql: `DELETE FROM show_seasons WHERE id IN (SELECT old_season_id FROM imdb_episode_changes
              WHERE id IS NOT NULL AND (imdb_id IS NULL OR season_id <> old_season_id))
            AND NOT EXISTS (SELECT 1 FROM show_episodes e WHERE e.season_id = show_seasons.id)`,
    },
    {
      stage,
      count: true,
      tally: 'present',
      sql: scoped
        ? 'SELECT count(*) AS n FROM show_episodes WHERE imdb_id IS NOT NULL'
        : 'SELECT count(*) AS n FROM imdb_episode_targets',
    },
    // Counted once merged: in a delta import, the seasons holding IMDb's episodes.
    ...(scoped
      ? [
          {
            stage: 'seasons',
            count: true,
            tally: 'present',
            sql: `SELECT count(*) AS n FROM show_seasons ss
                  WHERE EXISTS (SELECT 1 FROM show_episodes e WHERE e.season_id = ss.id AND e.imdb_id IS NOT NULL)`,
          } satisfies MergeStep,
        ]
      : []),
  ];
}
