import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';
import { getAsOwner, idFromLocation, postForm } from '../../test/forms.ts';

const XSS = '<script>alert(1)</script>';

const movieForm = (overrides: Record<string, string> = {}) => ({
  display_name: 'Heat',
  start_year: '1995',
  end_year: '',
  release_date: '1995-12-15',
  runtime_minutes: '170',
  genres: 'Crime, Drama',
  imdb_id: 'tt0113277',
  original_title: '',
  original_language: 'en',
  origin_country: 'US',
  image_url: '',
  ...overrides,
});

describe('title forms', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp('sqlite');
  });
  afterEach(() => t.close());

  it('refuses every form URL to a visitor, GET and POST, and changes nothing', async () => {
    const movie = await (await t.post('/api/movies', { display_name: 'Heat' })).json();
    for (const path of ['/titles/new', '/movies/new', '/shows/new', `/movies/${movie.movie_id}/edit`]) {
      const page = await t.get(path);
      expect(page.status, path).toBe(403);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect((await postForm(t, '/movies/new', movieForm(), {})).status).toBe(403);
    expect((await postForm(t, `/movies/${movie.movie_id}/delete`, {}, {})).status).toBe(403);
    expect((await postForm(t, `/titles/${movie.title_id}/edit`, movieForm({ display_name: 'X' }), {})).status).toBe(
      403,
    );
    const after = await (await t.get(`/api/movies/${movie.movie_id}`)).json();
    expect(after.title.display_name).toBe('Heat');
    expect((await (await t.get('/api/titles')).json()).total).toBe(1);
  });

  it('shows the owner an empty add form with labels, a CSP and no caching', async () => {
    const res = await getAsOwner(t, '/titles/new?type=show');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const html = await res.text();
    expect(html).toContain('<form class="owner-form" method="post" action="/titles/new">');
    expect(html).toMatch(/<label for="field-display_name">Title/);
    expect(html).toContain('<option value="show" selected>');
    expect(html).not.toContain('form-errors.js');
    expect(html).toContain('id="field-start_year" name="start_year" type="text" value="" inputmode="numeric"');
  });

  it('words the form for the kind: a movie has a year, a show a start and an end', async () => {
    const movie = await (await getAsOwner(t, '/movies/new')).text();
    expect(movie).toMatch(/<label for="field-start_year">Year</);
    expect(movie).not.toContain('name="end_year"');
    const show = await (await getAsOwner(t, '/shows/new')).text();
    expect(show).toMatch(/<label for="field-end_year">End year</);
    const refused = await postForm(t, '/shows/new', movieForm({ start_year: '2002', end_year: '2001' }));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(
      'id="field-end_year-error"><span class="visually-hidden">Error: </span>must not be before start_year',
    );
  });

  it('adds a movie from the form and redirects to its page (Post/Redirect/Get)', async () => {
    const res = await postForm(t, '/movies/new', movieForm({ display_name: XSS }));
    expect(res.status).toBe(303);
    const id = idFromLocation(res, '/movies');
    const movie = await (await t.get(`/api/movies/${id}`)).json();
    expect(movie.title).toMatchObject({
      type: 'movie',
      display_name: XSS,
      start_year: 1995,
      runtime_minutes: 170,
      release_date: '1995-12-15',
      genres: ['Crime', 'Drama'],
      imdb_id: 'tt0113277',
      original_language: 'en',
    });
    expect(movie.title).not.toHaveProperty('end_year');
    expect(movie.title).not.toHaveProperty('original_title');
  });

  it('adds a show through /titles/new, the type taken from the form', async () => {
    const res = await postForm(t, '/titles/new', { type: 'show', ...movieForm({ display_name: 'The Wire' }) });
    const id = idFromLocation(res, '/shows');
    expect((await (await t.get(`/api/shows/${id}`)).json()).title.type).toBe('show');
    const bad = await postForm(t, '/titles/new', { type: 'episode', ...movieForm({ imdb_id: '' }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('must be &#39;movie&#39; or &#39;show&#39;');
  });

  it('re-renders a refused form with each error beside its field and the values typed, escaped', async () => {
    const res = await postForm(
      t,
      '/shows/new',
      movieForm({
        display_name: `  ${XSS}`,
        start_year: 'nineteen',
        end_year: '1700',
        imdb_id: 'nm123',
        image_url: 'ftp://x',
      }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(
      '<p class="field-error" id="field-start_year-error"><span class="visually-hidden">Error: </span>must be a whole number</p>',
    );
    expect(html).toContain(
      'id="field-end_year-error"><span class="visually-hidden">Error: </span>must be 1800 or later',
    );
    expect(html).toContain(
      'id="field-imdb_id-error"><span class="visually-hidden">Error: </span>must look like tt0133093',
    );
    expect(html).toContain('must be an http(s) URL');
    expect(html).toMatch(
      /id="field-start_year"[^>]*aria-invalid="true" aria-describedby="field-start_year-error field-start_year-hint"/,
    );
    expect(html).toContain('value="nineteen"');
    expect(html).toContain('value="  &lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain(XSS);
    expect(html).toContain('<a href="#field-start_year">Start year: must be a whole number</a>');
    expect(html).toContain('<script src="/static/js/form-errors.js" defer></script>');
    expect((await (await t.get('/api/titles')).json()).total).toBe(0);
  });

  it('edits a movie: shows the stored values, clears emptied fields, replaces genres', async () => {
    const created = await (
      await t.post('/api/movies', {
        display_name: XSS,
        start_year: 1995,
        genres: ['Crime', 'Drama'],
        original_title: 'Heat',
      })
    ).json();
    const page = await getAsOwner(t, `/movies/${created.movie_id}/edit`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Edit “&lt;script&gt;alert(1)&lt;/script&gt;”');
    expect(html).not.toContain(XSS);
    expect(html).toContain('value="Crime, Drama"');
    expect(html).toContain(`<a href="/movies/${created.movie_id}/delete">Delete this movie…</a>`);
    expect(html).toContain('value="1995"');

    const res = await postForm(
      t,
      `/movies/${created.movie_id}/edit`,
      movieForm({ display_name: 'Heat', genres: 'Thriller', original_title: '', imdb_id: ' tt0113277 ' }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/movies/${created.movie_id}`);
    const movie = await (await t.get(`/api/movies/${created.movie_id}`)).json();
    expect(movie.title.display_name).toBe('Heat');
    expect(movie.title.genres).toEqual(['Thriller']);
    expect(movie.title).not.toHaveProperty('original_title');
    expect(movie.title.imdb_id).toBe('tt0113277');
  });

  it('refuses an emptied required name on edit and keeps the stored one', async () => {
    const show = await (await t.post('/api/shows', { display_name: 'The Wire' })).json();
    const res = await postForm(t, `/titles/${show.title_id}/edit`, movieForm({ display_name: '   ' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('must not be empty');
    expect((await (await t.get(`/api/shows/${show.show_id}`)).json()).title.display_name).toBe('The Wire');
  });

  it('answers 404 and 400 pages for missing and malformed ids, 415 for a body that is not a form', async () => {
    expect((await getAsOwner(t, '/movies/999/edit')).status).toBe(404);
    expect((await getAsOwner(t, '/shows/999/delete')).status).toBe(404);
    expect((await getAsOwner(t, '/titles/abc/edit')).status).toBe(400);
    expect((await postForm(t, '/titles/999/delete', {})).status).toBe(404);
    const json = await t.request(
      'POST',
      '/movies/new',
      { display_name: 'X' },
      { authorization: 'Bearer test-admin-token-0123456789' },
    );
    expect(json.status).toBe(415);
  });

  it('asks before deleting, deletes only on POST, and lands on the list of that kind', async () => {
    const show = await (await t.post('/api/shows', { display_name: XSS, start_year: 2002 })).json();
    const season = await (await t.post(`/api/shows/${show.show_id}/seasons`, { season_number: 1 })).json();
    await t.post(`/api/seasons/${season.season_id}/episodes`, { episode_number: 1 });
    await t.post(`/api/shows/${show.show_id}/seasons`, { season_number: 2 });
    const confirm = await getAsOwner(t, `/shows/${show.show_id}/delete`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('Delete the show “&lt;script&gt;alert(1)&lt;/script&gt;” (2002)?');
    expect(html).toContain(`<form class="owner-form" method="post" action="/shows/${show.show_id}/delete">`);
    expect(html).toContain('Its 2 seasons and 1 episode are deleted with it.');
    expect((await t.get(`/api/shows/${show.show_id}`)).status).toBe(200);

    const res = await postForm(t, `/shows/${show.show_id}/delete`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/titles?type=show');
    expect((await t.get(`/api/shows/${show.show_id}`)).status).toBe(404);
  });
});

describeEachDialect('title forms: a duplicate IMDb id', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('comes back as a 409 with the error on the IMDb id field', async () => {
    await t.post('/api/movies', { display_name: 'Heat', imdb_id: 'tt0113277' });
    const res = await postForm(t, '/movies/new', movieForm({ display_name: 'Heat again' }));
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain(
      'id="field-imdb_id-error"><span class="visually-hidden">Error: </span>a title with imdb_id tt0113277 already exists',
    );
    expect(html).toContain('value="Heat again"');
  });
});
