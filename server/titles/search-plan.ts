/**
 * How a search page is read, decided from exact match counts (pure, so it is tested on its
 * own). Results rank in tiers — exact name, then name starting with the query, then the
 * rest — each by votes. Knowing each tier's size, a page is cut from the tiers it overlaps
 * with a local offset, and every slice picks the cheaper of two ways to read it:
 *
 * - lookup: fetch the tier's matches through the search index, then sort them by votes;
 *   costs about the tier's size.
 * - walk: go through titles in votes order (an index carrying the columns conditions test)
 *   checking each entry; costs about rows-needed × catalogue / tier-size entries, tiny when
 *   most titles match.
 */

export type Tier = 0 | 1 | 2;
export type Strategy = 'lookup' | 'walk';

export interface TierSlice {
  tier: Tier;
  offset: number;
  limit: number;
  strategy: Strategy;
}

export interface PagePlanInput {
  /** Matches per tier, in rank order, after every filter. */
  tierCounts: readonly [number, number, number];
  offset: number;
  limit: number;
  /** Titles in the catalogue: what a walk goes through when matches are rare. */
  catalogueSize: number;
}

// A walk reads index entries only; a lookup also fetches each matching row and sorts them.
const WALK_ENTRY_ADVANTAGE = 4;

export function chooseStrategy(rowsNeeded: number, matches: number, catalogueSize: number): Strategy {
  return rowsNeeded * catalogueSize < WALK_ENTRY_ADVANTAGE * matches * matches ? 'walk' : 'lookup';
}

export function planPage({ tierCounts, offset, limit, catalogueSize }: PagePlanInput): TierSlice[] {
  const slices: TierSlice[] = [];
  let skip = offset;
  let wanted = limit;
  tierCounts.forEach((count, tier) => {
    if (wanted === 0) return;
    if (skip >= count) {
      skip -= count;
      return;
    }
    const take = Math.min(wanted, count - skip);
    slices.push({
      tier: tier as Tier,
      offset: skip,
      limit: take,
      strategy: chooseStrategy(skip + take, count, catalogueSize),
    });
    wanted -= take;
    skip = 0;
  });
  return slices;
}
