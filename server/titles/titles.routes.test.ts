import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

describeEachDialect('GET /api/titles and /api/titles/{id}', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  const seed = async (body: Record<string, unknown>, votes?: number) => {
    const res = await t.post('/api/titles', { type: 'movie', ...body });
    expect(res.status).toBe(201);
    const title = (await res.json()) as { title_id: number };
    if (votes !== undefined)
      await t.db.sql.run(sql`UPDATE titles SET num_votes = ${votes} WHERE id = ${title.title_id}`);
    return title.title_id;
  };

  it('answers the original search shape: titles with show_id or movie_id, totals and languages', async () => {
    await seed({ display_name: 'Amélie', imdb_id: 'tt0211915', original_language: 'fr', start_year: 2001 }, 800_000);
    await seed({ type: 'show', display_name: 'Amelie Show', original_language: 'en' }, 5);
    const res = await t.get('/api/titles?q=amelie&per_page=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['titles', 'total', 'page', 'per_page', 'total_pages', 'languages']);
    expect(body).toMatchObject({ total: 2, page: 1, per_page: 1, total_pages: 2 });
    expect(body.languages).toEqual([
      { code: 'en', count: 1 },
      { code: 'fr', count: 1 },
    ]);
    const [first] = body.titles;
    expect(Object.keys(first)).toEqual([
      'title_id',
      'type',
      'display_name',
      'start_year',
      'imdb_id',
      'movie_id',
      'num_votes',
      'original_language',
      'created_at',
      'updated_at',
    ]);
    expect(first).toMatchObject({ display_name: 'Amélie', num_votes: 800_000, imdb_id: 'tt0211915' });
    const second = (await (await t.get('/api/titles?q=amelie&per_page=1&page=2')).json()).titles[0];
    expect(second.show_id).toBeGreaterThan(0);
    expect(second.movie_id).toBeUndefined();
  });

  it('clamps per_page to 100, answers a page past the end with an empty list, ignores empty parameters', async () => {
    await seed({ display_name: 'Only' });
    const clamped = await (await t.get('/api/titles?per_page=500')).json();
    expect(clamped.per_page).toBe(100);
    const past = await (await t.get('/api/titles?page=100')).json();
    expect(past).toMatchObject({ titles: [], total: 1, page: 100 });
    // Deeper than 10,000 rows is refused rather than scanned (MAX_RESULT_WINDOW).
    const deep = await t.get('/api/titles?page=101');
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ code: 'request.invalid_query', fields: [{ field: 'page' }] });
    const empty = await (await t.get('/api/titles?q=&type=&lang=&page=&per_page=')).json();
    expect(empty).toMatchObject({ total: 1, page: 1, per_page: 100 });
  });

  it.each([
    ['page=abc', 'page'],
    ['page=0', 'page'],
    ['page=-3', 'page'],
    ['per_page=0', 'per_page'],
    ['per_page=1.5', 'per_page'],
    ['type=episode', 'type'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['lang=%3Cscript%3E', 'lang'],
    ['q=a%00b', 'q'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await t.get(`/api/titles?${query}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('request.invalid_query');
    expect(body.error).toContain(field);
    expect(body.fields[0].field).toBe(field);
  });

  it('returns a title with its genres, omitting null fields', async () => {
    const id = await seed({ display_name: 'Plain' });
    const body = await (await t.get(`/api/titles/${id}?source=collection-top`)).json();
    expect(body).toEqual({
      title_id: id,
      type: 'movie',
      display_name: 'Plain',
      genres: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it('never shows the original TMDB sentinels as an image', async () => {
    const id = await seed({ display_name: 'No poster' });
    await t.db.sql.run(sql`UPDATE titles SET image_url = 'none' WHERE id = ${id}`);
    expect((await (await t.get(`/api/titles/${id}`)).json()).image_url).toBeUndefined();
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999', '1e3'])('refuses id %s with a 400', async (id) => {
    const res = await t.get(`/api/titles/${id}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'request.invalid_id' });
  });

  it('answers a missing title with a 404 in the error shape', async () => {
    const res = await t.get('/api/titles/424242');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'title not found', code: 'titles.not_found' });
  });
});

describeEachDialect('POST, PUT, DELETE /api/titles', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('needs the admin token for every write', async () => {
    const body = JSON.stringify({ type: 'movie', display_name: 'X' });
    const noToken = await t.request('POST', '/api/titles', body);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await noToken.json()).toMatchObject({ code: 'auth.required' });
    const wrong = await t.request('POST', '/api/titles', body, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    for (const [method, path] of [
      ['PUT', '/api/titles/1'],
      ['DELETE', '/api/titles/1'],
      ['POST', '/api/movies'],
      ['DELETE', '/api/shows/1'],
      ['POST', '/api/shows/1/seasons'],
      ['PUT', '/api/seasons/1'],
      ['POST', '/api/seasons/1/episodes'],
      ['DELETE', '/api/episodes/1'],
    ] as const) {
      const res = await t.request(method, path, body, { 'x-forwarded-for': '127.0.0.1' });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await (await t.get('/api/titles')).json()).total).toBe(0);
  });

  it('creates a title and its movie or show row: 201, Location and the object', async () => {
    const res = await t.post('/api/titles', {
      type: 'show',
      display_name: 'Dark',
      start_year: 2017,
      end_year: 2020,
      imdb_id: 'tt5753856',
      genres: ['Drama', 'Crime'],
    });
    expect(res.status).toBe(201);
    const title = await res.json();
    expect(res.headers.get('location')).toBe(`/api/titles/${title.title_id}`);
    expect(title).toMatchObject({ type: 'show', display_name: 'Dark', genres: ['Crime', 'Drama'] });
    const found = await (await t.get('/api/titles?q=dark')).json();
    const show = await (await t.get(`/api/shows/${found.titles[0].show_id}`)).json();
    expect(show).toMatchObject({ title_id: title.title_id, seasons: [], is_series_finished: true });
  });

  it.each([
    [{ display_name: 'No type' }, 'type'],
    [{ type: 'episode', display_name: 'x' }, 'type'],
    [{ type: 'movie' }, 'display_name'],
    [{ type: 'movie', display_name: '   ' }, 'display_name'],
    [{ type: 'movie', display_name: 'x', start_year: 'nineteen' }, 'start_year'],
    [{ type: 'movie', display_name: 'x', start_year: 2000, end_year: 1990 }, 'end_year'],
    [{ type: 'movie', display_name: 'x', imdb_id: 'nm0000001' }, 'imdb_id'],
    [{ type: 'movie', display_name: 'x', image_url: 'javascript:alert(1)' }, 'image_url'],
    [{ type: 'movie', display_name: 'x', release_date: '2020-13-45' }, 'release_date'],
    [{ type: 'movie', display_name: 'x', genres: 'Drama' }, 'genres'],
    [{ type: 'movie', display_name: 'x', colour: 'red' }, 'colour'],
    [{ type: 'movie', display_name: 'a\u0000b' }, 'display_name'],
    [{ type: 'movie', display_name: 'x', genres: ['ok', 'n\u0000'] }, 'genres.1'],
    [{ type: 'movie', display_name: 'x', release_date: '0000-01-01' }, 'release_date'],
    [{ type: 'movie', display_name: 'x', runtime_minutes: 1e308 }, 'runtime_minutes'],
    [{ type: 'movie', display_name: { nested: true } }, 'display_name'],
  ])('refuses body %j with a 400 naming %s', async (body, field) => {
    const res = await t.post('/api/titles', body);
    expect(res.status).toBe(400);
    const error = await res.json();
    expect(error.code).toBe('request.invalid_body');
    expect(error.error).toContain(field);
  });

  it('refuses malformed JSON, non-JSON bodies and a duplicate imdb_id', async () => {
    expect(await (await t.post('/api/titles', '{"type": "movie",')).json()).toMatchObject({
      code: 'request.invalid_json',
    });
    expect((await t.post('/api/titles', '[]')).status).toBe(400);
    expect((await t.post('/api/titles', 'null')).status).toBe(400);
    const form = await t.request('POST', '/api/titles', 'type=movie', {
      authorization: 'Bearer test-admin-token-0123456789',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    await t.post('/api/titles', { type: 'movie', display_name: 'A', imdb_id: 'tt0000001' });
    const duplicate = await t.post('/api/titles', { type: 'movie', display_name: 'B', imdb_id: 'tt0000001' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ code: 'titles.imdb_id_taken' });
  });

  it('changes only the fields sent, ignores echoed read-only fields, and refuses a type change', async () => {
    const created = await (
      await t.post('/api/titles', { type: 'movie', display_name: 'Before', start_year: 1999, runtime_minutes: 120 })
    ).json();
    const res = await t.put(`/api/titles/${created.title_id}`, {
      display_name: 'After',
      title_id: 999,
      created_at: 'x',
      type: 'movie',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      title_id: created.title_id,
      display_name: 'After',
      start_year: 1999,
      runtime_minutes: 120,
    });
    const cleared = await (await t.put(`/api/titles/${created.title_id}`, { runtime_minutes: null })).json();
    expect(cleared.runtime_minutes).toBeUndefined();
    expect(cleared.start_year).toBe(1999);
    const retype = await t.put(`/api/titles/${created.title_id}`, { type: 'show' });
    expect(retype.status).toBe(400);
    expect((await t.put('/api/titles/777777', { display_name: 'x' })).status).toBe(404);
  });

  it('deletes a title: 204, then 404', async () => {
    const { title_id } = await (await t.post('/api/titles', { type: 'movie', display_name: 'Gone' })).json();
    const res = await t.del(`/api/titles/${title_id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await t.get(`/api/titles/${title_id}`)).status).toBe(404);
    expect((await t.del(`/api/titles/${title_id}`)).status).toBe(404);
  });
});
