import { describe, expect, it } from 'vitest';
import { chooseStrategy, planPage } from './search-plan.ts';

describe('planPage', () => {
  const base = { catalogueSize: 1_000_000 };

  it('cuts a page across tiers with local offsets', () => {
    expect(planPage({ ...base, tierCounts: [3, 50, 1000], offset: 0, limit: 100 })).toEqual([
      { tier: 0, offset: 0, limit: 3, strategy: 'lookup' },
      { tier: 1, offset: 0, limit: 50, strategy: 'lookup' },
      { tier: 2, offset: 0, limit: 47, strategy: 'lookup' },
    ]);
    expect(planPage({ ...base, tierCounts: [3, 50, 1000], offset: 60, limit: 10 })).toEqual([
      { tier: 2, offset: 7, limit: 10, strategy: 'lookup' },
    ]);
    expect(planPage({ ...base, tierCounts: [0, 0, 5], offset: 5, limit: 10 })).toEqual([]);
  });

  it('walks titles by votes when most titles match, looks matches up when few do', () => {
    const [slice] = planPage({ ...base, tierCounts: [0, 0, 225_000], offset: 0, limit: 100 });
    expect(slice?.strategy).toBe('walk');
    expect(chooseStrategy(100, 500, 1_000_000)).toBe('lookup');
    expect(chooseStrategy(100, 200_000, 1_000_000)).toBe('walk');
    // Deep pages need more rows, so the walk stops paying off sooner.
    expect(chooseStrategy(5000, 20_000, 1_000_000)).toBe('lookup');
  });
});
