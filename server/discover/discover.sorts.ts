/**
 * Discover's orders over titles (every sort but popular, which orders by views), spelled for
 * any table alias: a page may read its order from a subquery's columns. NULLS LAST is
 * spelled out, since PostgreSQL puts NULLs first in DESC; every order ends with id, so pages
 * never overlap or skip a title.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Dialect } from '../db/sql-runner.ts';
import type { DiscoverSort } from './discover.schemas.ts';

export type TitleSort = Exclude<DiscoverSort, 'popular'>;

/** Each sort's columns of titles before id, and whether each is descending. */
const SORT_KEYS: Record<TitleSort, [column: string, descending: boolean][]> = {
  most_rated: [['num_votes', true]],
  trending: [['tmdb_popularity', true]],
  top_rated: [
    ['average_rating', true],
    ['num_votes', true],
  ],
  newest: [
    ['start_year', true],
    ['release_date', true],
  ],
  hidden_gems: [
    ['average_rating', true],
    ['num_votes', true],
  ],
  'a-z': [['display_name', false]],
};

/**
 * A sort's ORDER BY list over `alias`. a-z compares names byte by byte on both dialects:
 * SQLite's BINARY collation does, and on PostgreSQL COLLATE "C" does (idx_titles_display_name
 * is built so) whatever language the database collates by; pages then list the same titles.
 */
export function titleOrder(sort: TitleSort, alias: string, dialect: Dialect): SQL {
  const keys = SORT_KEYS[sort].map(([column, descending]) => {
    const collate = column === 'display_name' && dialect === 'pg' ? ' COLLATE "C"' : '';
    return `${alias}.${column}${collate}${descending ? ' DESC NULLS LAST' : ''}`;
  });
  return sql.raw([...keys, `${alias}.id`].join(', '));
}

/** The columns a sort orders by, id first: what a subquery hands on for the order. */
export const sortColumns = (sort: TitleSort, alias: string): SQL =>
  sql.raw([`${alias}.id`, ...SORT_KEYS[sort].map(([column]) => `${alias}.${column}`)].join(', '));
