import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

const XSS = '<script>alert(1)</script>';

describeEachDialect('movie pages', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('shows a movie with its facts, escaped, and a 404 page for a missing id', async () => {
    const movie = await (
      await t.post('/api/movies', {
        display_name: XSS,
        start_year: 2001,
        runtime_minutes: 122,
        original_language: 'fr',
        origin_country: 'FR',
        genres: ['Comedy', 'Romance'],
        image_url: 'https://image.example/poster.jpg',
      })
    ).json();
    const res = await t.get(`/movies/${movie.movie_id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('alt="Poster of &lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('<dt>Runtime</dt><dd>122 min</dd>');
    expect(html).toContain('<a href="/discover?country=FR">France</a>');
    expect(html).toContain('<a href="/titles?lang=fr">French</a> <span class="muted">(fr)</span>');
    expect(html).toContain('>Comedy</a>, <a');

    expect((await t.get('/movies/999999')).status).toBe(404);
    // A movie's id is not a show's.
    expect((await t.get(`/shows/${movie.movie_id}`)).status).toBe(404);
  });

  it('gives the owner edit and delete links, and visitors none', async () => {
    const movie = await (await t.post('/api/movies', { display_name: 'Heat' })).json();
    const visitor = await (await t.get(`/movies/${movie.movie_id}`)).text();
    expect(visitor).not.toContain('class="owner-actions"');
    const asOwner = await (
      await t.request('GET', `/movies/${movie.movie_id}`, undefined, { authorization: `Bearer ${TEST_TOKEN}` })
    ).text();
    expect(asOwner).toContain(`href="/movies/${movie.movie_id}/edit"`);
    expect(asOwner).toContain(`href="/movies/${movie.movie_id}/delete"`);
  });
});
