/** The merge reports, per stage, the staged rows it works through and how far it got. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import { importImdbDataset } from './import.ts';
import type { ImportProgress, MergeStage } from './stats.ts';
import { basicsLine, episodeLine, ratingLine, writeDataset } from './test-datasets.ts';
import { useImportFixture } from './test-targets.ts';

describeEachDialect('IMDb merge progress', (dialect) => {
  const fixture = useImportFixture(dialect, 'progress');

  it('says done of total rows per stage, ending at the total', async () => {
    await writeDataset(fixture.dir, {
      basics: [
        basicsLine('tt0000001', 'movie', 'One', { genres: 'Drama,Comedy' }),
        basicsLine('tt0000002', 'tvSeries', 'Two', { genres: 'Drama' }),
        basicsLine('tt0000003', 'movie', 'Three'),
        basicsLine('tt0000011', 'tvEpisode', 'Pilot'),
        basicsLine('tt0000012', 'tvEpisode', 'Second'),
      ],
      episodes: [episodeLine('tt0000011', 'tt0000002', 1, 1), episodeLine('tt0000012', 'tt0000002', 1, 2)],
      ratings: [ratingLine('tt0000001', '7.0', 10)],
    });
    const merge: Extract<ImportProgress, { phase: 'merge' }>[] = [];
    await importImdbDataset({
      target: fixture.target,
      dir: fixture.dir,
      onProgress: (progress) => progress.phase === 'merge' && merge.push(progress),
    });
    const last = Object.fromEntries(merge.map((p) => [p.stage, p])) as Record<MergeStage, (typeof merge)[number]>;
    expect(Object.fromEntries(Object.entries(last).map(([stage, p]) => [stage, [p.done, p.total]]))).toEqual({
      titles: [3, 3],
      genres: [3, 3],
      titleGenres: [3, 3],
      seasons: [2, 2],
      episodes: [2, 2],
      ratings: [1, 1],
    });
    for (const stage of Object.keys(last) as MergeStage[]) {
      const done = merge.filter((p) => p.stage === stage).map((p) => p.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done[0]).toBeLessThan(last[stage].total);
    }
  });
});
