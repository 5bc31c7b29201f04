import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { tempDirs } from '../../test/temp-dirs.ts';
import { seedTitles } from '../discover/discover.test-seed.ts';
import { createMemoryLogger } from '../logger.ts';
import { CATALOGUE_DIR, loadCollectionFiles, syncCollections } from './collections.loader.ts';

const tempDir = tempDirs();

async function collectionsDir(files: Record<string, string>) {
  const dir = tempDir('mc-collections-');
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  return dir;
}

const DRAMA = `slug: drama-movies
name: Drama Movies
description: Serious stories.
strategy: filter
filter: { type: movie, genre: Drama }
`;

describe('collection files', () => {
  it('loads valid files and skips each bad one, logged by file name and field', async () => {
    const dir = await collectionsDir({
      'a-good.yaml': DRAMA,
      'b-no-name.yaml': 'slug: nameless\nfilter: { type: movie }\n',
      'c-bad-sort.yaml': 'slug: bad-sort\nname: Bad\nfilter: { type: movie, sort: best }\n',
      'd-broken.yaml': 'slug: [unclosed\n',
      'e-same-slug.yaml': DRAMA.replace('Drama Movies', 'Again'),
      'f-static-empty.yaml': 'slug: picks\nname: Picks\nstrategy: static\n',
      'g-typo.yaml': 'slug: typo\nname: Typo\nfilter: { type: movie }\npinnned: true\n',
      'h-mixed.yaml': 'slug: mixed\nname: Mixed\nfilter: { type: movie }\ntitles: [tt0000001]\n',
      'notes.txt': 'not a collection',
    });
    const log = createMemoryLogger();
    const loaded = await loadCollectionFiles(dir, log);
    expect(loaded.map((c) => c.file)).toEqual(['a-good.yaml']);
    expect(loaded[0]?.definition).toEqual({
      slug: 'drama-movies',
      name: 'Drama Movies',
      description: 'Serious stories.',
      strategy: 'filter',
      pinned: false,
      filter: { type: 'movie', genre: 'Drama' },
    });
    expect(log.lines).toEqual([
      expect.stringMatching(/^WARN collections: skipped b-no-name\.yaml: name: /),
      expect.stringMatching(/^WARN collections: skipped c-bad-sort\.yaml: filter\.sort: must be one of/),
      expect.stringMatching(/^WARN collections: skipped d-broken\.yaml: not valid YAML/),
      "WARN collections: skipped e-same-slug.yaml: slug: 'drama-movies' is already used by a-good.yaml",
      'WARN collections: skipped f-static-empty.yaml: titles: is required for a static collection',
      expect.stringMatching(/^WARN collections: skipped g-typo\.yaml: .*pinnned/),
      'WARN collections: skipped h-mixed.yaml: titles: is only for static and llm collections',
    ]);
  });

  it('the bundled catalogue is valid: every file loads, slugs are unique, each has a description', async () => {
    const log = createMemoryLogger();
    const loaded = await loadCollectionFiles(CATALOGUE_DIR, log);
    expect(log.lines).toEqual([]);
    const files = (await fs.readdir(CATALOGUE_DIR)).filter((f) => f.endsWith('.yaml'));
    expect(loaded).toHaveLength(files.length);
    expect(loaded.length).toBeGreaterThan(40);
    for (const { definition } of loaded) expect(definition.description?.length).toBeGreaterThan(20);
    const bySlug = new Map(loaded.map(({ definition }) => [definition.slug, definition]));
    expect(bySlug.get('korean-dating-shows')?.filter).toMatchObject({ lang: 'ko', genre: 'Dating' });
    expect(bySlug.get('top-sci-fi-movies')?.filter).toMatchObject({ type: 'movie', genre: 'Sci-Fi' });
  });
});

describeEachDialect('collections', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    ids = await seedTitles(t);
  });
  afterEach(() => t.close());

  const sync = async (files: Record<string, string>) =>
    syncCollections({ collections: t.repositories.collections, dir: await collectionsDir(files), log: t.log });
  const json = async (path: string, status = 200) => {
    const res = await t.get(path);
    expect(res.status).toBe(status);
    return res.json();
  };

  it('upserts at start, keeping engagement_count and active, updating the rest', async () => {
    expect(
      await sync({
        'drama.yaml': DRAMA,
        'ko.yaml': 'slug: korean\nname: Korean\nlanguages: [ko]\nregions: [KR]\nfilter: { lang: ko }\n',
      }),
    ).toBe(2);
    await t.db.sql.run(
      sql`UPDATE collections SET engagement_count = 42, active = ${false} WHERE slug = 'drama-movies'`,
    );
    await t.db.sql.run(sql`UPDATE collections SET engagement_count = 7 WHERE slug = 'korean'`);
    await sync({ 'drama.yaml': DRAMA.replace('Drama Movies', 'Dramas').concat('pinned: true\n') });
    const row = await t.db.sql.get<{ name: string; engagement_count: number; active: unknown; pinned: unknown }>(
      sql`SELECT name, engagement_count, active, pinned FROM collections WHERE slug = 'drama-movies'`,
    );
    expect({ ...row, active: Boolean(row?.active), pinned: Boolean(row?.pinned) }).toEqual({
      name: 'Dramas',
      engagement_count: 42,
      active: false,
      pinned: true,
    });
    expect(await json('/api/collections')).toEqual([
      {
        id: expect.any(Number),
        name: 'Korean',
        slug: 'korean',
        strategy: 'filter',
        pinned: false,
        active: true,
        engagement_count: 7,
        languages: ['ko'],
        regions: ['KR'],
      },
    ]);
  });

  it('lists active collections pinned first, then by engagement, then id', async () => {
    const filter = 'filter: { type: movie }\n';
    await sync({
      'a.yaml': `slug: a\nname: A\n${filter}`,
      'b.yaml': `slug: b\nname: B\n${filter}`,
      'c.yaml': `slug: c\nname: C\npinned: true\n${filter}`,
      'd.yaml': `slug: d\nname: D\n${filter}`,
    });
    await t.db.sql.run(sql`UPDATE collections SET engagement_count = 3 WHERE slug = 'd'`);
    const list = (await json('/api/collections')) as { slug: string }[];
    expect(list.map((c) => c.slug)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('shows a collection by slug or id with its own sort, min_votes and limit; 404 otherwise', async () => {
    await sync({
      'gems.yaml': 'slug: best\nname: Best\nfilter: { type: movie, sort: top_rated, min_votes: 200, limit: 2 }\n',
    });
    const bySlug = await json('/api/collections/best?source=home');
    expect(bySlug.collection).toMatchObject({ slug: 'best', name: 'Best', strategy: 'filter' });
    // Movies with ≥ 200 votes by rating: Golf 9.5, Alpha 8.0, Charlie 7.8 — the limit keeps two.
    expect(bySlug.titles.map((x: { title_id: number }) => x.title_id)).toEqual([ids.G, ids.A]);
    expect(bySlug.total).toBe(2);
    const byId = await json(`/api/collections/${bySlug.collection.id}`);
    expect(byId).toEqual(bySlug);
    await json('/api/collections/nope', 404);
    await json('/api/collections/999999', 404);
  });

  it('resolves a static collection to its listed titles in order, skipping unknown ids', async () => {
    await sync({
      'picks.yaml':
        'slug: picks\nname: Picks\nstrategy: static\ntitles: [tt0000003, tt9999999, tt0000001, tt0000003]\n',
    });
    expect(t.log.lines).toContain('INFO collections: picks.yaml: 1 title(s) not in the catalogue yet');
    const body = await json('/api/collections/picks');
    expect(body.titles.map((x: { title_id: number }) => x.title_id)).toEqual([ids.C, ids.A]);
    expect(body.total).toBe(2);
    // Re-listing replaces the ranks.
    await sync({ 'picks.yaml': 'slug: picks\nname: Picks\nstrategy: llm\ntitles: [tt0000002]\n' });
    const again = await json('/api/collections/picks');
    expect(again.titles.map((x: { title_id: number }) => x.title_id)).toEqual([ids.B]);
    expect(again.collection.strategy).toBe('llm');
  });
});
