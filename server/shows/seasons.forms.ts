/**
 * The owner's forms for a show's seasons and episodes: add and edit, delete with
 * confirmation. The schemas and repositories are the ones /api/seasons and /api/episodes use;
 * every success lands on the show's page at the season it changed.
 */
import type { Context, Hono } from 'hono';
import {
  type FormField,
  type FormResult,
  type FormValues,
  parseForm,
  readForm,
  saveForm,
  valuesOf,
} from '../forms/form-body.ts';
import { renderDelete, renderForm, requireOwnerPage } from '../forms/form-pages.ts';
import { notFound } from '../http/errors.ts';
import { paths } from '../http/page-routes.ts';
import { parseId } from '../http/validation.ts';
import type { Views } from '../http/views.ts';
import type { ShowsRepository } from '../titles/kinds.repository.ts';
import type { EpisodeRecord, EpisodesRepository } from './episodes.repository.ts';
import type { SeasonRow, SeasonsRepository } from './seasons.repository.ts';
import { episodePatchBody, newEpisodeBody, seasonBody } from './shows.schemas.ts';

export const SEASON_FIELDS: readonly FormField[] = [
  {
    name: 'season_number',
    label: 'Season number',
    kind: 'integer',
    required: true,
    hint: 'Some shows number seasons by year.',
  },
];

export const EPISODE_FIELDS: readonly FormField[] = [
  { name: 'episode_number', label: 'Episode number', kind: 'integer', required: true },
  { name: 'display_name', label: 'Title', kind: 'text' },
  { name: 'air_date', label: 'Air date', kind: 'date', hint: 'YYYY-MM-DD' },
  { name: 'runtime_minutes', label: 'Runtime (minutes)', kind: 'integer' },
  { name: 'imdb_id', label: 'IMDb id', kind: 'text', hint: 'The episode’s own id, like tt0959621.' },
  { name: 'image_url', label: 'Still URL', kind: 'url', hint: 'An http(s) address.' },
  { name: 'synopsis', label: 'Synopsis', kind: 'textarea' },
];

const CONFLICT_FIELDS = {
  'seasons.number_taken': 'season_number',
  'episodes.number_taken': 'episode_number',
  'episodes.imdb_id_taken': 'imdb_id',
};

const save = <T>(write: () => Promise<T>) => saveForm(write, CONFLICT_FIELDS);
const seasonMissing = () => notFound('seasons', 'season');
const episodeMissing = () => notFound('episodes', 'episode');

export interface SeasonFormsDeps {
  shows: ShowsRepository;
  seasons: SeasonsRepository;
  episodes: EpisodesRepository;
  views: Views;
}

export function registerSeasonForms(app: Hono, { shows, seasons, episodes, views }: SeasonFormsDeps) {
  const showName = async (showId: number) => {
    const show = await shows.findById(showId);
    if (!show) throw notFound('shows', 'show');
    return show.title.display_name;
  };
  const seasonOf = async (id: number) => {
    const found = await seasons.findById(id);
    if (!found) throw seasonMissing();
    return found.season;
  };
  const episodeOf = async (id: number) => {
    const episode = await episodes.findById(id);
    if (!episode) throw episodeMissing();
    return { episode, season: await seasonOf(episode.season_id) };
  };
  const back = (season: Pick<SeasonRow, 'show_id' | 'season_number'>) =>
    paths.season(season.show_id, season.season_number);
  const nextNumber = (numbers: number[]) => String(Math.max(0, ...numbers) + 1);

  // Seasons

  const seasonPage = async (showId: number, values: FormValues, season?: SeasonRow) => ({
    heading: season
      ? `Edit season ${season.season_number} of “${await showName(showId)}”`
      : `Add a season to “${await showName(showId)}”`,
    action: season ? paths.editSeason(season.season_id) : paths.newSeason(showId),
    cancel: season ? back(season) : paths.show(showId),
    submit: season ? 'Save changes' : 'Add season',
    fields: SEASON_FIELDS,
    values,
    remove: season && { label: 'Delete this season…', href: paths.deleteSeason(season.season_id) },
  });
  const seasonFormResult = async (
    c: Context,
    showId: number,
    values: FormValues,
    result: FormResult<SeasonRow | null>,
    season?: SeasonRow,
  ) => {
    if (!result.ok)
      return renderForm(
        views,
        c,
        { ...(await seasonPage(showId, values, season)), errors: result.errors },
        result.status,
      );
    if (!result.body) throw season ? seasonMissing() : notFound('shows', 'show');
    return c.redirect(back(result.body), 303);
  };

  app.get('/shows/:id/seasons/new', requireOwnerPage, async (c) => {
    const showId = parseId(c);
    const numbers = (await seasons.rowsByShow(showId)).map((s) => s.season_number);
    return renderForm(views, c, await seasonPage(showId, { season_number: nextNumber(numbers) }));
  });

  app.post('/shows/:id/seasons/new', requireOwnerPage, async (c) => {
    const showId = parseId(c);
    await showName(showId);
    const values = await readForm(c, SEASON_FIELDS);
    const parsed = parseForm(values, SEASON_FIELDS, seasonBody, 'create');
    const result = parsed.ok ? await save(() => seasons.create(showId, parsed.body.season_number)) : parsed;
    return seasonFormResult(c, showId, values, result);
  });

  app.get('/seasons/:id/edit', requireOwnerPage, async (c) => {
    const season = await seasonOf(parseId(c));
    return renderForm(views, c, await seasonPage(season.show_id, valuesOf({ ...season }, SEASON_FIELDS), season));
  });

  app.post('/seasons/:id/edit', requireOwnerPage, async (c) => {
    const season = await seasonOf(parseId(c));
    const values = await readForm(c, SEASON_FIELDS);
    const parsed = parseForm(values, SEASON_FIELDS, seasonBody, 'edit');
    const result = parsed.ok ? await save(() => seasons.update(season.season_id, parsed.body.season_number)) : parsed;
    return seasonFormResult(c, season.show_id, values, result, season);
  });

  app.get('/seasons/:id/delete', requireOwnerPage, async (c) => {
    const season = await seasonOf(parseId(c));
    const count = (await episodes.listBySeason(season.season_id))?.length ?? 0;
    return renderDelete(views, c, {
      subject: `season ${season.season_number} of “${await showName(season.show_id)}”`,
      action: paths.deleteSeason(season.season_id),
      cancel: back(season),
      consequence: count > 0 ? `Its ${count} episode${count === 1 ? '' : 's'} are deleted with it.` : undefined,
    });
  });

  app.post('/seasons/:id/delete', requireOwnerPage, async (c) => {
    const season = await seasonOf(parseId(c));
    if (!(await seasons.delete(season.season_id))) throw seasonMissing();
    return c.redirect(paths.show(season.show_id), 303);
  });

  // Episodes

  const episodePage = async (season: SeasonRow, values: FormValues, episode?: EpisodeRecord) => {
    const where = `season ${season.season_number} of “${await showName(season.show_id)}”`;
    return {
      heading: episode ? `Edit episode ${episode.episode_number} of ${where}` : `Add an episode to ${where}`,
      action: episode ? paths.editEpisode(episode.episode_id) : paths.newEpisode(season.season_id),
      cancel: back(season),
      submit: episode ? 'Save changes' : 'Add episode',
      fields: EPISODE_FIELDS,
      values,
      remove: episode && { label: 'Delete this episode…', href: paths.deleteEpisode(episode.episode_id) },
    };
  };

  app.get('/seasons/:id/episodes/new', requireOwnerPage, async (c) => {
    const season = await seasonOf(parseId(c));
    const numbers = ((await episodes.listBySeason(season.season_id)) ?? []).map((e) => e.episode_number);
    return renderForm(views, c, await episodePage(season, { episode_number: nextNumber(numbers) }));
  });

  app.post('/seasons/:id/episodes/new', requireOwnerPage, async (c) => {
    const season = await seasonOf(parseId(c));
    const values = await readForm(c, EPISODE_FIELDS);
    const parsed = parseForm(values, EPISODE_FIELDS, newEpisodeBody, 'create');
    const result = parsed.ok ? await save(() => episodes.create(season.season_id, parsed.body)) : parsed;
    if (!result.ok) {
      return renderForm(views, c, { ...(await episodePage(season, values)), errors: result.errors }, result.status);
    }
    if (!result.body) throw seasonMissing();
    return c.redirect(paths.episode(season.show_id, result.body.episode_id), 303);
  });

  app.get('/episodes/:id/edit', requireOwnerPage, async (c) => {
    const { episode, season } = await episodeOf(parseId(c));
    return renderForm(views, c, await episodePage(season, valuesOf({ ...episode }, EPISODE_FIELDS), episode));
  });

  app.post('/episodes/:id/edit', requireOwnerPage, async (c) => {
    const { episode, season } = await episodeOf(parseId(c));
    const values = await readForm(c, EPISODE_FIELDS);
    const parsed = parseForm(values, EPISODE_FIELDS, episodePatchBody, 'edit');
    const result = parsed.ok ? await save(() => episodes.update(episode.episode_id, parsed.body)) : parsed;
    if (!result.ok) {
      return renderForm(
        views,
        c,
        { ...(await episodePage(season, values, episode)), errors: result.errors },
        result.status,
      );
    }
    if (!result.body) throw episodeMissing();
    return c.redirect(paths.episode(season.show_id, result.body.episode_id), 303);
  });

  app.get('/episodes/:id/delete', requireOwnerPage, async (c) => {
    const { episode, season } = await episodeOf(parseId(c));
    const name = episode.display_name ? ` “${episode.display_name}”` : '';
    return renderDelete(views, c, {
      subject: `episode ${episode.episode_number}${name} of season ${season.season_number}`,
      action: paths.deleteEpisode(episode.episode_id),
      cancel: back(season),
    });
  });

  app.post('/episodes/:id/delete', requireOwnerPage, async (c) => {
    const { episode, season } = await episodeOf(parseId(c));
    if (!(await episodes.delete(episode.episode_id))) throw episodeMissing();
    return c.redirect(back(season), 303);
  });
}
