/** The original consumer interface's Title, TitleSearchResult and Movie shapes, field for field. */
import { compact, publicImageUrl } from '../http/json.ts';
import type { KindRecord } from './kinds.repository.ts';
import type { TitleRecord } from './titles.repository.ts';

export function titleJson(t: TitleRecord) {
  return compact({
    title_id: t.title_id,
    type: t.type,
    display_name: t.display_name,
    start_year: t.start_year,
    end_year: t.end_year,
    imdb_id: t.imdb_id,
    image_url: publicImageUrl(t.image_url),
    tmdb_id: t.tmdb_id,
    num_votes: t.num_votes,
    average_rating: t.average_rating,
    original_title: t.original_title,
    original_language: t.original_language,
    release_date: t.release_date,
    tmdb_popularity: t.tmdb_popularity,
    runtime_minutes: t.runtime_minutes,
    origin_country: t.origin_country,
    genres: t.genres,
    created_at: t.created_at,
    updated_at: t.updated_at,
  });
}

export function titleSearchResultJson(t: Omit<TitleRecord, 'genres'>) {
  return compact({
    title_id: t.title_id,
    type: t.type,
    display_name: t.display_name,
    start_year: t.start_year,
    end_year: t.end_year,
    imdb_id: t.imdb_id,
    image_url: publicImageUrl(t.image_url),
    tmdb_id: t.tmdb_id,
    show_id: t.show_id,
    movie_id: t.movie_id,
    num_votes: t.num_votes,
    average_rating: t.average_rating,
    original_title: t.original_title,
    original_language: t.original_language,
    release_date: t.release_date,
    created_at: t.created_at,
    updated_at: t.updated_at,
  });
}

export const movieJson = (movie: KindRecord) => ({
  movie_id: movie.id,
  title_id: movie.title_id,
  title: titleJson(movie.title),
});
