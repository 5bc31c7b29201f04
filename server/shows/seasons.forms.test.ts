import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { getAsOwner, postForm } from '../../test/forms.ts';

const XSS = '<script>alert(1)</script>';

const episodeForm = (overrides: Record<string, string> = {}) => ({
  episode_number: '1',
  display_name: 'The Target',
  air_date: '2002-06-02',
  runtime_minutes: '62',
  imdb_id: 'tt0749451',
  image_url: '',
  synopsis: 'A body in the projects.',
  ...overrides,
});

describe('season and episode forms', () => {
  let t: TestApp;
  let showId: number;
  beforeEach(async () => {
    t = await createTestApp('sqlite');
    showId = (await (await t.post('/api/shows', { display_name: XSS })).json()).show_id;
  });
  afterEach(() => t.close());

  const addSeason = async (season_number: number) =>
    (await (await t.post(`/api/shows/${showId}/seasons`, { season_number })).json()).season_id as number;

  it('offers the next season number, adds the season and returns to it on the show page', async () => {
    await addSeason(1);
    const page = await getAsOwner(t, `/shows/${showId}/seasons/new`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Add a season to “&lt;script&gt;alert(1)&lt;/script&gt;”');
    expect(html).not.toContain(XSS);
    expect(html).toContain('name="season_number" type="text" value="2"');

    const res = await postForm(t, `/shows/${showId}/seasons/new`, { season_number: '2' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/shows/${showId}#season-2`);
    const seasons = await (await t.get(`/api/shows/${showId}/seasons`)).json();
    expect(seasons.map((s: { season_number: number }) => s.season_number)).toEqual([1, 2]);
  });

  it('puts a taken or malformed season number next to the field', async () => {
    await addSeason(1);
    const taken = await postForm(t, `/shows/${showId}/seasons/new`, { season_number: '1' });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain(
      'id="field-season_number-error"><span class="visually-hidden">Error: </span>season 1 already exists for this show',
    );
    const bad = await postForm(t, `/shows/${showId}/seasons/new`, { season_number: '-3' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('must not be negative');
    const empty = await postForm(t, `/shows/${showId}/seasons/new`, { season_number: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('id="field-season_number-error"');
    expect((await getAsOwner(t, '/shows/999/seasons/new')).status).toBe(404);
  });

  it('renumbers a season, and deletes it with its episodes after confirmation', async () => {
    const seasonId = await addSeason(1);
    await t.post(`/api/seasons/${seasonId}/episodes`, { episode_number: 1 });
    await t.post(`/api/seasons/${seasonId}/episodes`, { episode_number: 2 });
    expect(await (await getAsOwner(t, `/seasons/${seasonId}/edit`)).text()).toContain('value="1"');
    const renumbered = await postForm(t, `/seasons/${seasonId}/edit`, { season_number: '1994' });
    expect(renumbered.headers.get('location')).toBe(`/shows/${showId}#season-1994`);

    const confirm = await (await getAsOwner(t, `/seasons/${seasonId}/delete`)).text();
    expect(confirm).toContain('Delete season 1994 of “&lt;script&gt;alert(1)&lt;/script&gt;”?');
    expect(confirm).toContain('Its 2 episodes are deleted with it.');
    const res = await postForm(t, `/seasons/${seasonId}/delete`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/shows/${showId}`);
    expect((await t.get(`/api/seasons/${seasonId}`)).status).toBe(404);
  });

  it('adds an episode with the next number, converting the text fields to the API shape', async () => {
    const seasonId = await addSeason(1);
    const page = await (await getAsOwner(t, `/seasons/${seasonId}/episodes/new`)).text();
    expect(page).toContain('name="episode_number" type="text" value="1"');
    expect(page).toContain('<textarea id="field-synopsis" name="synopsis" rows="6"></textarea>');

    const res = await postForm(t, `/seasons/${seasonId}/episodes/new`, episodeForm({ display_name: XSS }));
    expect(res.status).toBe(303);
    const [episode] = await (await t.get(`/api/seasons/${seasonId}/episodes`)).json();
    expect(res.headers.get('location')).toBe(`/shows/${showId}#episode-${episode.episode_id}`);
    expect(episode).toMatchObject({
      episode_number: 1,
      display_name: XSS,
      air_date: '2002-06-02',
      runtime_minutes: 62,
      imdb_id: 'tt0749451',
      synopsis: 'A body in the projects.',
    });
    expect(episode).not.toHaveProperty('image_url');
  });

  it('re-renders a refused episode with the errors and the text typed, escaped', async () => {
    const seasonId = await addSeason(1);
    const res = await postForm(
      t,
      `/seasons/${seasonId}/episodes/new`,
      episodeForm({ runtime_minutes: 'an hour', air_date: '1500-01-01', synopsis: `</textarea>${XSS}` }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(
      'id="field-runtime_minutes-error"><span class="visually-hidden">Error: </span>must be a whole number',
    );
    expect(html).toContain(
      'id="field-air_date-error"><span class="visually-hidden">Error: </span>must be between 1800 and 2200',
    );
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(html).not.toContain(XSS);
    expect(await (await t.get(`/api/seasons/${seasonId}/episodes`)).json()).toEqual([]);
  });

  it('edits an episode (an emptied field is cleared) and deletes it', async () => {
    const seasonId = await addSeason(1);
    const created = await (
      await t.post(`/api/seasons/${seasonId}/episodes`, { episode_number: 3, display_name: 'Old', synopsis: 'x' })
    ).json();
    const page = await (await getAsOwner(t, `/episodes/${created.episode_id}/edit`)).text();
    expect(page).toContain('Edit episode 3 of season 1 of “&lt;script&gt;alert(1)&lt;/script&gt;”');
    expect(page).toContain('value="Old"');
    expect(page).toContain(`<a href="/episodes/${created.episode_id}/delete">Delete this episode…</a>`);

    const res = await postForm(
      t,
      `/episodes/${created.episode_id}/edit`,
      episodeForm({ episode_number: '4', synopsis: '' }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/shows/${showId}#episode-${created.episode_id}`);
    const episode = await (await t.get(`/api/episodes/${created.episode_id}`)).json();
    expect(episode).toMatchObject({ episode_number: 4, display_name: 'The Target' });
    expect(episode).not.toHaveProperty('synopsis');

    expect(await (await getAsOwner(t, `/episodes/${created.episode_id}/delete`)).text()).toContain(
      'Delete episode 4 “The Target” of season 1?',
    );
    expect((await postForm(t, `/episodes/${created.episode_id}/delete`, {})).status).toBe(303);
    expect((await t.get(`/api/episodes/${created.episode_id}`)).status).toBe(404);
  });

  it('refuses every season and episode form to a visitor', async () => {
    const seasonId = await addSeason(1);
    const episodeId = (await (await t.post(`/api/seasons/${seasonId}/episodes`, { episode_number: 1 })).json())
      .episode_id;
    const pages = [
      `/shows/${showId}/seasons/new`,
      `/seasons/${seasonId}/edit`,
      `/seasons/${seasonId}/delete`,
      `/seasons/${seasonId}/episodes/new`,
      `/episodes/${episodeId}/edit`,
      `/episodes/${episodeId}/delete`,
    ];
    for (const path of pages) {
      expect((await t.get(path)).status, path).toBe(403);
      expect((await postForm(t, path, { season_number: '9', episode_number: '9' }, {})).status, path).toBe(403);
    }
    expect((await t.get(`/api/episodes/${episodeId}`)).status).toBe(200);
    expect((await (await t.get(`/api/shows/${showId}/seasons`)).json()).length).toBe(1);
  });
});
