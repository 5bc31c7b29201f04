import { describe, expect, it } from 'vitest';
import { type BasicsRow, freshCounts } from './imdb-files.ts';
import { createNameWindow } from './name-window.ts';

const name = (n: number, displayName: string | null = `name ${n}`): BasicsRow => ({
  kind: 'episode',
  imdbId: `tt${String(n).padStart(7, '0')}`,
  displayName,
});
const id = (n: number) => `tt${String(n).padStart(7, '0')}`;

/** The batches as a reader hands them over, counting how many were read. */
function batches(...all: BasicsRow[][]) {
  let read = 0;
  async function* iterate() {
    for (const batch of all) {
      read += 1;
      yield batch;
    }
  }
  return { iterator: iterate(), read: () => read };
}

/** Pairs `episodes` batch by batch as staging does; returns the names paired and spilled. */
async function pair(window: ReturnType<typeof createNameWindow>, episodes: number[][]) {
  const paired: Record<string, string | null> = {};
  const spilled: string[] = [];
  for (const batch of episodes) {
    await window.fill(id(batch[batch.length - 1] as number));
    for (const n of batch) paired[id(n)] = window.take(id(n));
    spilled.push(...window.spilled().map((row) => row.imdbId));
  }
  for await (const rest of window.rest()) spilled.push(...rest.map((row) => row.imdbId));
  return { paired, spilled };
}

describe('createNameWindow', () => {
  it('pairs episodes with their names and spills the names no episode takes', async () => {
    const source = batches([name(1), name(2), name(3, null)], [name(5), name(6)], [name(8), name(9)]);
    const window = createNameWindow(source.iterator, freshCounts());
    const { paired, spilled } = await pair(window, [
      [1, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(paired).toEqual({
      [id(1)]: 'name 1',
      [id(3)]: null, // IMDb has no name for it: nothing to look up either
      [id(4)]: null,
      [id(5)]: 'name 5',
      [id(6)]: 'name 6',
      [id(7)]: null,
    });
    expect(spilled).toEqual([id(2), id(8), id(9)]);
  });

  it('reads names only as far as the episodes need them', async () => {
    const source = batches([name(1)], [name(2)], [name(3)], [name(4)]);
    const window = createNameWindow(source.iterator, freshCounts());
    await window.fill(id(2));
    expect(source.read()).toBe(2);
    expect(window.take(id(2))).toBe('name 2');
    expect(window.spilled().map((row) => row.imdbId)).toEqual([id(1)]);
  });

  it('pairs nothing once the names are out of order: every name is spilled for the lookup', async () => {
    const order = freshCounts();
    const source = batches([name(1), name(2)], [name(4), name(3)]);
    const window = createNameWindow(source.iterator, order);
    await window.fill(id(1));
    expect(window.take(id(1))).toBe('name 1');
    order.sorted = false; // as the format finds out on reading name 3
    await window.fill(id(4));
    expect(window.take(id(4))).toBeNull();
    const spilled = [...window.spilled()];
    for await (const rest of window.rest()) spilled.push(...rest);
    expect(spilled.map((row) => row.imdbId)).toEqual([id(2), id(4), id(3)]);
  });

  it('leaves a name to the lookup rather than pair it wrongly when it misjudges the order', async () => {
    // IMDb orders tconsts as text: tt10000000 comes before tt1000001. Compared by number
    // (the format's guess until it sees otherwise), the window stops at tt10000000.
    const long = (displayName: string): BasicsRow => ({ kind: 'episode', imdbId: 'tt10000000', displayName });
    const source = batches([name(1000000), long('long'), name(1000001)]);
    const window = createNameWindow(source.iterator, freshCounts());
    await window.fill('tt1000001');
    expect(window.take('tt1000000')).toBe('name 1000000');
    expect(window.take('tt1000001')).toBeNull();
    const spilled = [...window.spilled()];
    for await (const rest of window.rest()) spilled.push(...rest);
    expect(spilled.map((row) => [row.imdbId, row.displayName])).toEqual([
      ['tt10000000', 'long'],
      ['tt1000001', 'name 1000001'],
    ]);
  });
});
