import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/databases.ts';

describeEachDialect('shows, seasons and episodes API', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  /** A show with the given seasons, each with `episodes` episodes; returns ids. */
  const seedShow = async (body: Record<string, unknown>, seasons: number[], episodes = 2) => {
    const show = await (await t.post('/api/shows', body)).json();
    const seasonIds: number[] = [];
    for (const number of seasons) {
      const season = await (await t.post(`/api/shows/${show.show_id}/seasons`, { season_number: number })).json();
      seasonIds.push(season.season_id);
      for (let e = 1; e <= episodes; e++) {
        await t.post(`/api/seasons/${season.season_id}/episodes`, {
          episode_number: e,
          display_name: `S${number}E${e}`,
        });
      }
    }
    return { showId: show.show_id as number, titleId: show.title_id as number, seasonIds };
  };

  it('returns a show with its seasons and episodes and the original finished flags', async () => {
    const { showId, titleId } = await seedShow({ display_name: 'Ongoing', start_year: 2020 }, [2, 1, 3]);
    const res = await t.get(`/api/shows/${showId}`);
    expect(res.status).toBe(200);
    const show = await res.json();
    expect(Object.keys(show)).toEqual(['show_id', 'title_id', 'title', 'seasons', 'is_series_finished']);
    expect(show).toMatchObject({ show_id: showId, title_id: titleId, is_series_finished: false });
    expect(show.title).toMatchObject({ title_id: titleId, type: 'show', display_name: 'Ongoing', genres: [] });
    expect(show.seasons.map((s: { season_number: number }) => s.season_number)).toEqual([1, 2, 3]);
    expect(show.seasons.map((s: { is_season_finished: boolean }) => s.is_season_finished)).toEqual([true, true, false]);
    expect(show.seasons[0].episodes).toEqual([
      { episode_id: expect.any(Number), season_id: show.seasons[0].season_id, episode_number: 1, display_name: 'S1E1' },
      { episode_id: expect.any(Number), season_id: show.seasons[0].season_id, episode_number: 2, display_name: 'S1E2' },
    ]);

    const ended = await seedShow({ display_name: 'Ended', start_year: 2001, end_year: 2004 }, [1, 2]);
    const endedShow = await (await t.get(`/api/shows/${ended.showId}`)).json();
    expect(endedShow.is_series_finished).toBe(true);
    expect(endedShow.seasons.every((s: { is_season_finished: boolean }) => s.is_season_finished)).toBe(true);
  });

  it('loads show detail in the same number of queries whatever the number of seasons', async () => {
    const small = await seedShow({ display_name: 'Small' }, [1], 1);
    const large = await seedShow({ display_name: 'Large' }, [1, 2, 3, 4, 5, 6, 7, 8], 3);
    t.counter.queries = 0;
    await t.get(`/api/shows/${small.showId}`);
    const forSmall = t.counter.queries;
    t.counter.queries = 0;
    const body = await (await t.get(`/api/shows/${large.showId}`)).json();
    expect(body.seasons).toHaveLength(8);
    expect(t.counter.queries).toBe(forSmall);
    expect(forSmall).toBe(3);
  });

  it('lists seasons, reads a season with episodes, the episodes and one episode', async () => {
    const { showId, seasonIds } = await seedShow({ display_name: 'Show' }, [1, 2], 3);
    const seasons = await (await t.get(`/api/shows/${showId}/seasons`)).json();
    expect(seasons).toEqual([
      { season_id: seasonIds[0], show_id: showId, season_number: 1, is_season_finished: true },
      { season_id: seasonIds[1], show_id: showId, season_number: 2, is_season_finished: false },
    ]);
    const season = await (await t.get(`/api/seasons/${seasonIds[1]}`)).json();
    expect(season).toMatchObject({ season_id: seasonIds[1], season_number: 2, is_season_finished: false });
    expect(season.episodes).toHaveLength(3);
    const episodes = await (await t.get(`/api/seasons/${seasonIds[1]}/episodes`)).json();
    expect(episodes.map((e: { episode_number: number }) => e.episode_number)).toEqual([1, 2, 3]);
    const episode = await (await t.get(`/api/episodes/${episodes[0].episode_id}`)).json();
    expect(episode).toEqual(episodes[0]);
  });

  it('answers an empty season with episodes: [] and missing ids with 404', async () => {
    const { showId, seasonIds } = await seedShow({ display_name: 'Empty' }, [1], 0);
    expect(await (await t.get(`/api/seasons/${seasonIds[0]}`)).json()).toMatchObject({ episodes: [] });
    expect(await (await t.get(`/api/seasons/${seasonIds[0]}/episodes`)).json()).toEqual([]);
    for (const path of [
      '/api/shows/999999',
      '/api/shows/999999/seasons',
      '/api/seasons/999999',
      '/api/seasons/999999/episodes',
      '/api/episodes/999999',
      '/api/movies/999999',
    ]) {
      const res = await t.get(path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).code, path).toMatch(/\.not_found$/);
    }
    expect((await t.post('/api/shows/999999/seasons', { season_number: 1 })).status).toBe(404);
    expect((await t.post('/api/seasons/999999/episodes', { episode_number: 1 })).status).toBe(404);
    expect((await t.get(`/api/shows/${showId}/seasons/extra`)).status).toBe(404);
  });

  it('creates seasons and episodes with Location, refuses duplicates with 409', async () => {
    const { showId, seasonIds } = await seedShow({ display_name: 'Show' }, [1], 1);
    const season = await t.post(`/api/shows/${showId}/seasons`, { season_number: 1994 });
    expect(season.status).toBe(201);
    const created = await season.json();
    expect(season.headers.get('location')).toBe(`/api/seasons/${created.season_id}`);
    expect(created).toMatchObject({ show_id: showId, season_number: 1994, episodes: [], is_season_finished: false });
    expect((await t.post(`/api/shows/${showId}/seasons`, { season_number: 1 })).status).toBe(409);

    const episode = await t.post(`/api/seasons/${seasonIds[0]}/episodes`, {
      episode_number: 10_001,
      imdb_id: 'tt0000123',
      display_name: 'Pilot',
      air_date: '2008-01-20',
      runtime_minutes: 58,
      synopsis: 'It starts.',
    });
    expect(episode.status).toBe(201);
    const body = await episode.json();
    expect(episode.headers.get('location')).toBe(`/api/episodes/${body.episode_id}`);
    expect(body).toMatchObject({ episode_number: 10_001, imdb_id: 'tt0000123', air_date: '2008-01-20' });
    const again = await t.post(`/api/seasons/${seasonIds[0]}/episodes`, { episode_number: 10_001 });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'episodes.number_taken' });
    const sameImdb = await t.post(`/api/seasons/${seasonIds[0]}/episodes`, { episode_number: 7, imdb_id: 'tt0000123' });
    expect(await sameImdb.json()).toMatchObject({ code: 'episodes.imdb_id_taken' });
  });

  it('updates episodes and seasons field by field, validates them, and deletes with cascade', async () => {
    const { showId, seasonIds } = await seedShow({ display_name: 'Show' }, [1, 2], 2);
    const [episode] = await (await t.get(`/api/seasons/${seasonIds[0]}/episodes`)).json();
    const updated = await (await t.put(`/api/episodes/${episode.episode_id}`, { synopsis: 'New.' })).json();
    expect(updated).toMatchObject({ episode_number: 1, display_name: 'S1E1', synopsis: 'New.' });
    const invalid = await t.put(`/api/episodes/${episode.episode_id}`, { episode_number: -1 });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toContain('episode_number');
    expect((await t.put('/api/episodes/999999', { synopsis: 'x' })).status).toBe(404);

    const renumbered = await (await t.put(`/api/seasons/${seasonIds[0]}`, { season_number: 5 })).json();
    expect(renumbered).toMatchObject({ season_number: 5, is_season_finished: false });
    expect((await t.put(`/api/seasons/${seasonIds[1]}`, { season_number: 5 })).status).toBe(409);
    expect((await t.put(`/api/seasons/${seasonIds[1]}`, { season_number: 'two' })).status).toBe(400);

    expect((await t.del(`/api/seasons/${seasonIds[0]}`)).status).toBe(204);
    expect((await t.get(`/api/episodes/${episode.episode_id}`)).status).toBe(404);
    expect((await t.del(`/api/shows/${showId}`)).status).toBe(204);
    expect((await t.get(`/api/seasons/${seasonIds[1]}`)).status).toBe(404);
    expect((await t.del(`/api/shows/${showId}`)).status).toBe(404);
  });

  it('creates, reads, updates and deletes movies by movie id', async () => {
    const res = await t.post('/api/movies', {
      display_name: 'Heat',
      start_year: 1995,
      image_url: 'https://x.test/p.jpg',
    });
    expect(res.status).toBe(201);
    const movie = await res.json();
    expect(res.headers.get('location')).toBe(`/api/movies/${movie.movie_id}`);
    expect(Object.keys(movie)).toEqual(['movie_id', 'title_id', 'title']);
    expect(movie.title).toMatchObject({ type: 'movie', display_name: 'Heat', image_url: 'https://x.test/p.jpg' });
    expect(await (await t.get(`/api/movies/${movie.movie_id}`)).json()).toEqual(movie);
    const updated = await (await t.put(`/api/movies/${movie.movie_id}`, { start_year: 1996 })).json();
    expect(updated.title).toMatchObject({ display_name: 'Heat', start_year: 1996 });
    expect((await t.post('/api/movies', { type: 'show', display_name: 'x' })).status).toBe(400);
    expect((await t.put(`/api/shows/${movie.movie_id}`, { display_name: 'x' })).status).toBe(404);
    expect((await t.del(`/api/movies/${movie.movie_id}`)).status).toBe(204);
    expect((await t.get(`/api/titles/${movie.title_id}`)).status).toBe(404);
  });
});
