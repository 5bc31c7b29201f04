/**
 * The placement of episodes (merge-episodes.ts) for whole files into a catalogue with no
 * episodes yet (a first full import): there is nothing to compare with, so the episodes go
 * straight in and each slot keeps its lowest tconst. On SQLite they go in in tconst order
 * and the first to reach a slot keeps it: the others meet the slot key and count as
 * duplicates (episodes and seasons took 16 s at full scale, against 27 s for the
 * comparison). PostgreSQL checks an ON CONFLICT key row by row (48 s at full scale): its
 * staging has kept each slot's lowest tconst already, in one sorted pass (staging.pg.ts,
 * episodeSlotsSql), so its insert is hash joins only, and the slot key is built after it
 * (bulkUnique).
 *
 * Also the pieces both placements use: an episode's name, the unknownParent tally.
 */
import type { MergeStep } from './merge.ts';

/**
 * An episode's name: staged with the episode when the staging thread paired them
 * (name-window.ts), else looked up in imdb_episode_names (COALESCE reads its second
 * argument only when the first is NULL). PostgreSQL joins the names as `n` instead: a hash
 * join, which costs little when the thread paired nearly all of them.
 */
export const SQLITE_EPISODE_NAME = (episode: string) =>
  `COALESCE(${episode}.display_name,
    (SELECT n.display_name FROM imdb_episode_names n WHERE n.imdb_id = ${episode}.imdb_id))`;
export const PG_EPISODE_NAME = (episode: string) => `COALESCE(${episode}.display_name, n.display_name)`;

export const UNKNOWN_PARENT: MergeStep = {
  stage: 'episodes',
  count: true,
  tally: 'unknownParent',
  sql: 'SELECT (SELECT count(*) FROM imdb_episodes) - (SELECT count(*) FROM imdb_episode_targets) AS n',
};

export function firstPlacementSteps(): MergeStep[] {
  return [...firstPlacementSqlite(), ...firstPlacementPg()];
}

function firstPlacementSqlite(): MergeStep[] {
  const stage = 'episodes';
  const only = 'sqlite';
  return [
    // SQLite reads the staged episodes along their key, so the targets come out in tconst
    // order at no cost and their rowids keep it: the insert below needs no sort (1.3 s at
    // full scale).
    {
      stage,
      only,
      sql: `CREATE TEMP TABLE imdb_episode_targets AS
            SELECT e.imdb_id, sh.id AS show_id, e.season, e.episode, e.display_name
            FROM imdb_episodes e JOIN titles t ON t.imdb_id = e.parent_id JOIN shows sh ON sh.title_id = t.id
            ORDER BY e.imdb_id`,
    },
    { ...UNKNOWN_PARENT, only },
    // The owner may have made a season with no episodes yet: it is kept, skipped by an
    // anti-join rather than ON CONFLICT.
    {
      stage: 'seasons',
      only,
      tally: 'inserted',
      bulkInto: 'show_seasons',
      sql: `INSERT INTO show_seasons (show_id, season)
            SELECT d.show_id, d.season FROM (SELECT DISTINCT show_id, season FROM imdb_episode_targets) d
            WHERE NOT EXISTS (SELECT 1 FROM show_seasons ss WHERE ss.show_id = d.show_id AND ss.season = d.season)
            ORDER BY d.show_id, d.season`,
    },
    {
      stage,
      only,
      tally: ['inserted', 'present'],
      bulkInto: 'show_episodes',
      sql: `INSERT INTO show_episodes (season_id, episode, imdb_id, display_name)
            SELECT ss.id, x.episode, x.imdb_id, ${SQLITE_EPISODE_NAME('x')} FROM imdb_episode_targets x
            JOIN show_seasons ss ON ss.show_id = x.show_id AND ss.season = x.season
            WHERE true ORDER BY x.rowid ON CONFLICT (season_id, episode) DO NOTHING`,
    },
    {
      stage,
      only,
      count: true,
      tally: 'duplicates',
      sql: 'SELECT (SELECT count(*) FROM imdb_episode_targets) - (SELECT count(*) FROM show_episodes) AS n',
    },
    { ...SEASONS_WITH_EPISODES, only },
  ];
}

function firstPlacementPg(): MergeStep[] {
  const stage = 'episodes';
  const only = 'pg';
  const showOf = (slot: string) => `JOIN titles t ON t.imdb_id = ${slot}.parent_id JOIN shows sh ON sh.title_id = t.id`;
  return [
    // In one pass over the parents: the staged episodes, and those whose parent is a show
    // of the catalogue (placed, or duplicates). Both tallies below read it.
    {
      stage,
      only,
      sql: `CREATE TEMP TABLE imdb_parent_tally AS
            SELECT COALESCE(sum(p.episodes), 0) AS staged,
              COALESCE(sum(p.episodes) FILTER (WHERE sh.id IS NOT NULL), 0) AS under_shows,
              COALESCE(sum(p.seasons) FILTER (WHERE sh.id IS NOT NULL), 0) AS seasons_under_shows
            FROM imdb_parent_episodes p
            LEFT JOIN titles t ON t.imdb_id = p.parent_id LEFT JOIN shows sh ON sh.title_id = t.id`,
    },
    {
      stage,
      only,
      count: true,
      tally: 'unknownParent',
      sql: 'SELECT staged - under_shows AS n FROM imdb_parent_tally',
    },
    // The owner's seasons with no episodes yet are kept (an anti-join: the slot key is
    // built after, bulkUnique); their episodes to come go into them.
    {
      stage: 'seasons',
      only,
      tally: 'inserted',
      bulkInto: 'show_seasons',
      bulkUnique: true,
      sql: `INSERT INTO show_seasons (show_id, season)
            SELECT sh.id, s.season FROM imdb_slot_seasons s ${showOf('s')}
            WHERE NOT EXISTS (SELECT 1 FROM show_seasons ss WHERE ss.show_id = sh.id AND ss.season = s.season)
            ORDER BY sh.id, s.season`,
    },
    // The slots come named, in (parent, season, episode) order, which is season by season
    // here: shows and seasons were numbered in that order.
    {
      stage,
      only,
      tally: ['inserted', 'present'],
      bulkInto: 'show_episodes',
      bulkUnique: true,
      sql: `INSERT INTO show_episodes (season_id, episode, imdb_id, display_name)
            SELECT ss.id, x.episode, x.imdb_id, x.display_name
            FROM imdb_slots x ${showOf('x')}
            JOIN show_seasons ss ON ss.show_id = sh.id AND ss.season = x.season`,
    },
    {
      stage,
      only,
      count: true,
      tally: 'duplicates',
      sql: 'SELECT under_shows - (SELECT count(*) FROM show_episodes) AS n FROM imdb_parent_tally',
    },
    // Every slot season under a show has its episodes now, and no other season has any:
    // the seasons the parents have, not a pass over 8M episodes (1.0 s at full scale).
    {
      stage: 'seasons',
      only,
      count: true,
      tally: 'present',
      sql: 'SELECT seasons_under_shows AS n FROM imdb_parent_tally',
    },
  ];
}

const SEASONS_WITH_EPISODES: MergeStep = {
  stage: 'seasons',
  count: true,
  tally: 'present',
  sql: `SELECT count(*) AS n FROM show_seasons ss
        WHERE EXISTS (SELECT 1 FROM show_episodes e WHERE e.season_id = ss.id)`,
};
