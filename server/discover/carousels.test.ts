import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { syncCollections } from '../collections/collections.loader.ts';
import { interleave } from './carousels.ts';
import { seedTitles } from './discover.test-seed.ts';

describe('interleave', () => {
  it('alternates show, movie and keeps the rest of the longer list', () => {
    expect(interleave(['s1', 's2', 's3'], ['m1'])).toEqual(['s1', 'm1', 's2', 's3']);
    expect(interleave(['s1'], ['m1', 'm2'])).toEqual(['s1', 'm1', 'm2']);
    expect(interleave([], [])).toEqual([]);
  });
});

describeEachDialect('GET /api/discover/carousels', (dialect) => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    ids = await seedTitles(t);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mc-carousels-'));
    const files: Record<string, string> = {
      'm1.yaml': 'slug: m1\nname: Movies One\ndescription: First movies.\nfilter: { type: movie }\n',
      'm2.yaml': 'slug: m2\nname: Movies Two\nfilter: { type: movie, sort: a-z, min_votes: 100 }\n',
      'm3.yaml': 'slug: m3\nname: Movies Three\nfilter: { type: movie, lang: ko }\n',
      's1.yaml': 'slug: s1\nname: Shows One\npinned: true\nfilter: { type: show, genre: Drama }\n',
      'empty.yaml': 'slug: empty\nname: Nothing Yet\nfilter: { type: movie, genre: Dating }\n',
      'any.yaml': 'slug: any\nname: No Type\nfilter: { lang: en }\n',
      'picks.yaml': 'slug: picks\nname: Picks\nstrategy: static\ntitles: [tt0000001]\n',
    };
    try {
      for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
      await syncCollections({ collections: t.repositories.collections, dir, log: t.log });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    await t.db.sql.run(sql`UPDATE collections SET engagement_count = 5 WHERE slug = 'm3'`);
  });
  afterEach(() => {
    t.repositories.carousels.stop();
    return t.close();
  });

  const carousels = async (query = '') => {
    const res = await t.get(`/api/discover/carousels${query}`);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('interleaves show and movie rows of typed filter collections, with their own titles and counts', async () => {
    const body = await carousels();
    expect(body).toMatchObject({ total: 4, page: 1, per_page: 10 });
    expect(body.carousels.map((c: { slug: string }) => c.slug)).toEqual(['s1', 'm3', 'm1', 'm2']);
    const [s1, m3, m1, m2] = body.carousels;
    expect(Object.keys(s1)).toEqual(['name', 'slug', 'collection_id', 'engagement_count', 'total_count', 'titles']);
    expect(s1.titles.map((x: { title_id: number }) => x.title_id)).toEqual([ids.E, ids.B]);
    expect(m3).toMatchObject({ engagement_count: 5, total_count: 1 });
    expect(m1).toMatchObject({ description: 'First movies.', total_count: 5 });
    expect(m1.titles.map((x: { title_id: number }) => x.title_id)).toEqual([ids.A, ids.G, ids.C, ids.F, ids.D]);
    expect(m2.titles.map((x: { display_name: string }) => x.display_name)).toEqual([
      'Alpha',
      'Charlie',
      'Foxtrot',
      'Golf',
    ]);
  });

  it('pages carousels and refuses bad paging', async () => {
    const second = await carousels('?page=2&per_page=3');
    expect(second).toMatchObject({ total: 4, page: 2, per_page: 3 });
    expect(second.carousels.map((c: { slug: string }) => c.slug)).toEqual(['m2']);
    expect((await carousels('?per_page=500')).per_page).toBe(50);
    const bad = await t.get('/api/discover/carousels?per_page=0');
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields[0].field).toBe('per_page');
  });

  it('serves the cached build until rebuild() replaces it', async () => {
    const before = await carousels();
    await t.db.sql.run(sql`UPDATE titles SET num_votes = 99999 WHERE id = ${ids.F}`);
    await t.db.sql.run(sql`UPDATE collections SET active = ${false} WHERE slug = 's1'`);
    expect(await carousels()).toEqual(before);
    const queries = t.counter.queries;
    await carousels();
    expect(t.counter.queries).toBe(queries);
    const added = await t.post('/api/titles', { type: 'movie', display_name: 'Hotel' });
    expect(added.status).toBe(201);
    await t.repositories.carousels.rebuild();
    const after = await carousels();
    expect(after.carousels[1]).toMatchObject({ slug: 'm1', total_count: 6 });
    expect(after.carousels.map((c: { slug: string }) => c.slug)).toEqual(['m3', 'm1', 'm2']);
    expect(after.carousels[1].titles[0].title_id).toBe(ids.F);
  });
});
