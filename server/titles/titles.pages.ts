/**
 * Browse and search pages: /titles (search with type and language filters, the language
 * facet, pagination) and /titles/:id. The same repository, schema and JSON shaping as
 * GET /api/titles, so a page lists exactly what the API would.
 */
import type { Hono } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { paths } from '../http/page-routes.ts';
import { parseId, parseQuery } from '../http/validation.ts';
import type { Views } from '../http/views.ts';
import { titleJson, titleSearchResultJson } from './titles.json.ts';
import type { TitlesRepository } from './titles.repository.ts';
import { detailQuery, titleSearchQuery } from './titles.schemas.ts';

/** A page of posters: a grid that fills a desktop row several times and a phone screen twice. */
export const TITLES_PER_PAGE = 48;
/** Languages shown as chips; the rest are one click away in the select. */
const FACET_CHIPS = 12;

export interface TitlesPagesDeps {
  titles: TitlesRepository;
  views: Views;
  engagement: EngagementRecorder;
}

export function registerTitlesPages(app: Hono, { titles, views, engagement }: TitlesPagesDeps) {
  app.get('/titles', async (c) => {
    const query = parseQuery(c, titleSearchQuery);
    const { q, type, lang, page = 1 } = query;
    // The API's default page (100) is more posters than a page should load at once.
    const perPage = c.req.query('per_page') ? query.per_page : TITLES_PER_PAGE;
    const result = await titles.search({ q, type, lang, limit: perPage, offset: (page - 1) * perPage });
    const totalPages = Math.ceil(result.total / perPage);
    const filters = { q, type, lang, per_page: c.req.query('per_page') ? perPage : undefined };
    return views.render(c, 'titles/index', {
      section: 'titles',
      title: q ? `“${q}”` : 'Titles',
      query: { q: q ?? '', type: type ?? '', lang: lang ?? '' },
      titles: result.titles.map(titleSearchResultJson),
      total: result.total,
      page,
      totalPages,
      languages: result.languages,
      facetChips: result.languages.slice(0, FACET_CHIPS),
      pageHref: (n: number) => paths.titles({ ...filters, page: n }),
      typeHref: (t?: string) => paths.titles({ q, lang, type: t }),
      langHref: (code?: string) => paths.titles({ q, type, lang: code }),
    });
  });

  app.get('/titles/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    const title = await titles.findById(id);
    if (!title) throw notFound('titles', 'title');
    engagement.recordView(title.title_id, source ?? 'dashboard');
    return views.render(c, 'titles/detail', {
      section: 'titles',
      title: title.display_name,
      record: titleJson(title),
      detailHref: title.movie_id || title.show_id ? paths.detail(title) : null,
    });
  });
}
