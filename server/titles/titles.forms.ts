/**
 * The owner's forms for titles, movies and shows: add, edit, delete with confirmation.
 * Each validates with the schema its JSON API route uses and writes through the same
 * repository; only the reading of the form (text → body) is the page's own.
 */
import type { Hono } from 'hono';
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
import type { EpisodesRepository } from '../shows/episodes.repository.ts';
import type { SeasonsRepository } from '../shows/seasons.repository.ts';
import type { KindRepository } from './kinds.repository.ts';
import type { TitleRecord, TitlesRepository, TitleType } from './titles.repository.ts';
import { newKindBody, newTitleBody, titlePatchBody } from './titles.schemas.ts';

/**
 * The fields an owner may set, in the order the form asks for them, worded for the kind of
 * title (a movie has a year, a show a first and last year); without a type, for either.
 * A movie's form leaves out end_year: a field not sent is left as it is.
 */
export function titleFields(type?: TitleType): readonly FormField[] {
  const show = type === 'show';
  return [
    { name: 'display_name', label: 'Title', kind: 'text', required: true },
    type === 'movie'
      ? { name: 'start_year', label: 'Year', kind: 'integer' }
      : {
          name: 'start_year',
          label: 'Start year',
          kind: 'integer',
          hint: show ? 'The year it began.' : 'For a show, the year it began.',
        },
    ...(type === 'movie'
      ? []
      : [
          {
            name: 'end_year',
            label: 'End year',
            kind: 'integer',
            hint: show ? 'Empty while it runs.' : 'Shows only: empty while it runs.',
          } as const,
        ]),
    { name: 'release_date', label: show ? 'First aired' : 'Release date', kind: 'date', hint: 'YYYY-MM-DD' },
    { name: 'runtime_minutes', label: show ? 'Episode runtime (minutes)' : 'Runtime (minutes)', kind: 'integer' },
    {
      name: 'genres',
      label: 'Genres',
      kind: 'list',
      hint: 'Separated by commas, e.g. Drama, Comedy. A new name becomes a custom genre.',
    },
    { name: 'imdb_id', label: 'IMDb id', kind: 'text', hint: 'Like tt0133093.' },
    { name: 'original_title', label: 'Original title', kind: 'text' },
    { name: 'original_language', label: 'Original language', kind: 'text', hint: 'A code like en or pt-BR.' },
    { name: 'origin_country', label: 'Country of origin', kind: 'text', hint: 'A two-letter code like US.' },
    { name: 'image_url', label: 'Poster URL', kind: 'url', hint: 'An http(s) address.' },
  ];
}

const TYPE_FIELD: FormField = {
  name: 'type',
  label: 'Type',
  kind: 'select',
  required: true,
  options: [
    { value: 'movie', label: 'Movie' },
    { value: 'show', label: 'TV show' },
  ],
};

const CONFLICT_FIELDS = { 'titles.imdb_id_taken': 'imdb_id' };

/** What one family of form URLs edits: titles by title id, movies and shows by their own id. */
interface TitleFormTarget {
  base: '/titles' | '/movies' | '/shows';
  noun: 'title' | 'movie' | 'show';
  newFields: readonly FormField[];
  find(id: number): Promise<TitleRecord | null>;
  create(values: FormValues): Promise<FormResult<TitleRecord>>;
  update(id: number, existing: TitleRecord, values: FormValues): Promise<FormResult<TitleRecord | null>>;
  remove(id: number): Promise<boolean>;
  editPath(id: number): string;
  deletePath(id: number): string;
  /** Where the owner lands after a delete. */
  afterDelete(title: TitleRecord): string;
}

const saved = <T>(write: () => Promise<T>) => saveForm(write, CONFLICT_FIELDS);

function titleTarget(titles: TitlesRepository): TitleFormTarget {
  return {
    base: '/titles',
    noun: 'title',
    newFields: [TYPE_FIELD, ...titleFields()],
    find: (id) => titles.findById(id),
    async create(values) {
      const parsed = parseForm(values, [TYPE_FIELD, ...titleFields()], newTitleBody, 'create');
      return parsed.ok ? saved(() => titles.create(parsed.body)) : parsed;
    },
    async update(id, existing, values) {
      const parsed = parseForm(values, titleFields(existing.type), titlePatchBody(existing.type), 'edit');
      return parsed.ok ? saved(() => titles.update(id, parsed.body)) : parsed;
    },
    remove: (id) => titles.delete(id),
    editPath: paths.editTitle,
    deletePath: paths.deleteTitle,
    afterDelete: () => paths.titles(),
  };
}

function kindTarget(kind: TitleType, repository: KindRepository): TitleFormTarget {
  const movie = kind === 'movie';
  return {
    base: movie ? '/movies' : '/shows',
    noun: kind,
    newFields: titleFields(kind),
    find: async (id) => (await repository.findById(id))?.title ?? null,
    async create(values) {
      const parsed = parseForm(values, titleFields(kind), newKindBody(kind), 'create');
      return parsed.ok ? saved(async () => (await repository.create(parsed.body)).title) : parsed;
    },
    async update(id, _existing, values) {
      const parsed = parseForm(values, titleFields(kind), titlePatchBody(kind), 'edit');
      return parsed.ok ? saved(async () => (await repository.update(id, parsed.body))?.title ?? null) : parsed;
    },
    remove: (id) => repository.delete(id),
    editPath: movie ? paths.editMovie : paths.editShow,
    deletePath: movie ? paths.deleteMovie : paths.deleteShow,
    afterDelete: () => paths.titles({ type: kind }),
  };
}

const describe = (t: TitleRecord) =>
  `the ${t.type === 'show' ? 'show' : 'movie'} “${t.display_name}”${t.start_year ? ` (${t.start_year})` : ''}`;

/** What goes with a title when it is deleted, counted, so the owner knows before confirming. */
type Consequence = (title: TitleRecord) => Promise<string | undefined>;

function registerTitleTargetForms(app: Hono, views: Views, target: TitleFormTarget, consequence: Consequence) {
  const { base, noun } = target;
  const missing = () => notFound(`${noun}s`, noun);
  const found = async (id: number) => {
    const title = await target.find(id);
    if (!title) throw missing();
    return title;
  };
  const newPage = (values: FormValues) => ({
    heading: noun === 'title' ? 'Add a title' : `Add a ${noun}`,
    action: `${base}/new`,
    cancel: base === '/titles' ? paths.titles() : paths.titles({ type: noun }),
    submit: `Add ${noun}`,
    fields: target.newFields,
    values,
  });
  const editPage = (id: number, title: TitleRecord, values: FormValues) => ({
    heading: `Edit “${title.display_name}”`,
    action: target.editPath(id),
    cancel: paths.detail(title),
    submit: 'Save changes',
    fields: titleFields(title.type),
    values,
    remove: { label: `Delete this ${noun}…`, href: target.deletePath(id) },
  });

  app.get(`${base}/new`, requireOwnerPage, (c) => {
    const type = c.req.query('type') === 'show' ? 'show' : 'movie';
    return renderForm(views, c, newPage({ type }));
  });

  app.post(`${base}/new`, requireOwnerPage, async (c) => {
    const values = await readForm(c, target.newFields);
    const result = await target.create(values);
    if (!result.ok) return renderForm(views, c, { ...newPage(values), errors: result.errors }, result.status);
    return c.redirect(paths.detail(result.body), 303);
  });

  app.get(`${base}/:id/edit`, requireOwnerPage, async (c) => {
    const id = parseId(c);
    const title = await found(id);
    return renderForm(views, c, editPage(id, title, valuesOf({ ...title }, titleFields(title.type))));
  });

  app.post(`${base}/:id/edit`, requireOwnerPage, async (c) => {
    const id = parseId(c);
    const title = await found(id);
    const values = await readForm(c, titleFields(title.type));
    const result = await target.update(id, title, values);
    if (!result.ok) {
      return renderForm(views, c, { ...editPage(id, title, values), errors: result.errors }, result.status);
    }
    if (!result.body) throw missing();
    return c.redirect(paths.detail(result.body), 303);
  });

  app.get(`${base}/:id/delete`, requireOwnerPage, async (c) => {
    const id = parseId(c);
    const title = await found(id);
    return renderDelete(views, c, {
      subject: describe(title),
      action: target.deletePath(id),
      cancel: paths.detail(title),
      consequence: await consequence(title),
    });
  });

  app.post(`${base}/:id/delete`, requireOwnerPage, async (c) => {
    const id = parseId(c);
    const title = await found(id);
    if (!(await target.remove(id))) throw missing();
    return c.redirect(target.afterDelete(title), 303);
  });
}

export interface TitleFormsDeps {
  titles: TitlesRepository;
  movies: KindRepository;
  shows: KindRepository;
  seasons: SeasonsRepository;
  episodes: EpisodesRepository;
  views: Views;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Registers the forms; call before the read pages so /titles/new is not taken for a title id. */
export function registerTitleForms(app: Hono, { titles, movies, shows, seasons, episodes, views }: TitleFormsDeps) {
  const consequence: Consequence = async (title) => {
    if (title.show_id === null) return undefined;
    const [seasonRows, episodeRows] = await Promise.all([
      seasons.rowsByShow(title.show_id),
      episodes.listByShow(title.show_id),
    ]);
    if (seasonRows.length === 0) return undefined;
    return `Its ${count(seasonRows.length, 'season')} and ${count(episodeRows.length, 'episode')} are deleted with it.`;
  };
  registerTitleTargetForms(app, views, titleTarget(titles), consequence);
  registerTitleTargetForms(app, views, kindTarget('movie', movies), consequence);
  registerTitleTargetForms(app, views, kindTarget('show', shows), consequence);
}
