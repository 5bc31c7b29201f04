/** The original's DiscoverTitle shape: optional fields omitted when null, genres always a list. */
import { compact, publicImageUrl } from '../http/json.ts';
import type { DiscoverTitleRecord } from './discover.repository.ts';

export function discoverTitleJson(t: DiscoverTitleRecord) {
  return compact({
    title_id: t.title_id,
    type: t.type,
    display_name: t.display_name,
    start_year: t.start_year,
    image_url: publicImageUrl(t.image_url),
    movie_id: t.movie_id,
    show_id: t.show_id,
    average_rating: t.average_rating,
    num_votes: t.num_votes,
    tmdb_popularity: t.tmdb_popularity,
    genres: t.genres,
    engagement_count: t.engagement_count,
  });
}
