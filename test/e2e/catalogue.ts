/**
 * Ids and names from the imported sample that the browser tests visit, found through the
 * public JSON API (never hard-coded: the sample can change), and the owner's sign-in.
 */

import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { E2E_ADMIN_TOKEN, type E2eServer } from './server.ts';

interface SearchPage {
  total: number;
  titles: { title_id: number; display_name: string; movie_id?: number; show_id?: number }[];
}
interface ShowJson {
  show_id: number;
  title: { display_name: string };
  seasons: { season_id: number; season_number: number; episodes: { episode_id: number }[] }[];
}

export interface SampleCatalogue {
  movie: { movie_id: number; title_id: number; display_name: string };
  /** A show with at least one season that has episodes. */
  show: { show_id: number; title_id: number; display_name: string; season_id: number; episode_id: number };
  collectionSlug: string;
  genre: string;
}

export async function findSampleCatalogue(server: E2eServer): Promise<SampleCatalogue> {
  const movies = await server.api<SearchPage>('/api/titles?type=movie&per_page=5');
  const movie = movies.titles[0];
  const shows = await server.api<SearchPage>('/api/titles?type=show&per_page=100');
  let show: SampleCatalogue['show'] | null = null;
  for (const candidate of shows.titles) {
    const detail = await server.api<ShowJson>(`/api/shows/${candidate.show_id}`);
    const season = detail.seasons.find((s) => s.episodes.length > 0);
    if (season?.episodes[0]) {
      show = {
        show_id: detail.show_id,
        title_id: candidate.title_id,
        display_name: candidate.display_name,
        season_id: season.season_id,
        episode_id: season.episodes[0].episode_id,
      };
      break;
    }
  }
  const collections = await server.api<{ slug: string }[]>('/api/collections');
  const movieDetail = await server.api<{ title: { genres: string[] } }>(`/api/movies/${movie?.movie_id}`);
  if (!movie?.movie_id || !show || !collections[0] || !movieDetail.title.genres[0]) {
    throw new Error('the bundled sample lacks a movie, a show with episodes, a collection or a genre');
  }
  return {
    movie: { movie_id: movie.movie_id, title_id: movie.title_id, display_name: movie.display_name },
    show,
    collectionSlug: collections[0].slug,
    genre: movieDetail.title.genres[0],
  };
}

/**
 * Signs the context in as the owner the way the tray does: a one-time token from the admin
 * API, opened in the browser, which sets the HttpOnly session cookie.
 */
export async function signInAsOwner(context: BrowserContext, server: E2eServer) {
  const minted = await fetch(`${server.url}/api/admin/sign-in-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
  });
  expect(minted.status, 'POST /api/admin/sign-in-tokens').toBe(201);
  const { path } = (await minted.json()) as { path: string };
  const page = await context.newPage();
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status(), 'the sign-in link lands on a page').toBe(200);
  await page.close();
  const cookies = await context.cookies(server.url);
  const session = cookies.find((cookie) => cookie.name === 'mc_session');
  expect(session, 'the session cookie').toMatchObject({ httpOnly: true, sameSite: 'Strict' });
}
