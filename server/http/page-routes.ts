/**
 * Named routes for the pages: every link and redirect in templates and handlers comes from
 * here, so a path changes in one place. Query builders drop empty values, so links stay short
 * and a filter that is not set is not in the URL.
 */

export type QueryValues = Record<string, string | number | boolean | null | undefined>;

/** `?a=1&b=x` from the values that are set, in the order given; '' when none are. */
export function queryString(values: QueryValues = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const segment = (value: string | number) => encodeURIComponent(String(value));

/** A title row as pages get it: movie_id or show_id says which detail page it has. */
export interface LinkableTitle {
  title_id: number;
  movie_id?: number | null;
  show_id?: number | null;
}

export const paths = {
  home: () => '/',
  discover: (query?: QueryValues) => `/discover${queryString(query)}`,
  collection: (slug: string) => `/collections/${segment(slug)}`,
  titles: (query?: QueryValues) => `/titles${queryString(query)}`,
  title: (id: number) => `/titles/${segment(id)}`,
  movie: (id: number) => `/movies/${segment(id)}`,
  show: (id: number) => `/shows/${segment(id)}`,
  /** Where a title is best shown: its movie or show page, else its title page. */
  detail: (t: LinkableTitle) =>
    t.movie_id ? paths.movie(t.movie_id) : t.show_id ? paths.show(t.show_id) : paths.title(t.title_id),
  season: (showId: number, seasonNumber: number) => `${paths.show(showId)}#season-${segment(seasonNumber)}`,
  /** A long show's page with one season's episodes listed (see shows.pages.ts). */
  showSeason: (showId: number, seasonNumber: number) =>
    `${paths.show(showId)}?season=${segment(seasonNumber)}#season-${segment(seasonNumber)}`,
  /** An episode on its show's page; the browser opens the season that holds it. */
  episode: (showId: number, episodeId: number) => `${paths.show(showId)}#episode-${segment(episodeId)}`,
  // The owner's forms (server/*/*.forms.ts): a GET shows the form, a POST to the same URL acts.
  newTitle: () => '/titles/new',
  editTitle: (id: number) => `${paths.title(id)}/edit`,
  deleteTitle: (id: number) => `${paths.title(id)}/delete`,
  newMovie: () => '/movies/new',
  editMovie: (id: number) => `${paths.movie(id)}/edit`,
  deleteMovie: (id: number) => `${paths.movie(id)}/delete`,
  newShow: () => '/shows/new',
  editShow: (id: number) => `${paths.show(id)}/edit`,
  deleteShow: (id: number) => `${paths.show(id)}/delete`,
  newSeason: (showId: number) => `${paths.show(showId)}/seasons/new`,
  editSeason: (id: number) => `/seasons/${segment(id)}/edit`,
  deleteSeason: (id: number) => `/seasons/${segment(id)}/delete`,
  newEpisode: (seasonId: number) => `/seasons/${segment(seasonId)}/episodes/new`,
  editEpisode: (id: number) => `/episodes/${segment(id)}/edit`,
  deleteEpisode: (id: number) => `/episodes/${segment(id)}/delete`,
  sync: () => '/sync',
  /** Owner forms on the sync page post here; the handler redirects back to paths.sync(). */
  syncStart: (kind: string) => `/sync/${segment(kind)}/start`,
  syncCancel: (kind: string) => `/sync/${segment(kind)}/cancel`,
  /** The running job's progress as server-sent events (the supervisor's admin route). */
  jobEvents: () => '/api/admin/jobs/events',
  settings: () => '/settings',
  /** Ends the owner's browser session (server/http/session.routes.ts SIGN_OUT_PATH). */
  signOut: () => '/auth/sign-out',
  apiDocs: () => '/api/docs',
  health: () => '/healthz',
  asset: (path: string) => `/static/${path}`,
};

export type Paths = typeof paths;
