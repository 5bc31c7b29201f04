/**
 * Browse and search pages: /titles (search with type and language filters, the language
 * facet, pagination) and /titles/:id. The same repository, schema and JSON shaping as
 * GET /api/titles, so a page lists exactly what the API would.
 */
import type { Hono } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { paths } from '../http/page-routes.ts';
import { MAX_RESULT_WINDOW, parseId, parseQuery } from '../http/validation.ts';
import type { Views } from '../http/views.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from '../tmdb/on-demand.ts';
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
  /** TMDB data the title lacks, fetched within a small budget. */
  enrichment?: OnDemandEnrichment;
}

export function registerTitlesPages(
  app: Hono,
  { titles, views, engagement, enrichment = noOnDemandEnrichment }: TitlesPagesDeps,
) {
  app.get('/titles', async (c) => {
    const query = parseQuery(c, titleSearchQuery);
    const { q, type, lang, page = 1 } = query;
    // The API's default page (100) is more posters than a page should load at once.
    const perPage = c.req.query('per_page') ? query.per_page : TITLES_PER_PAGE;
    const result = await titles.search({ q, type, lang, limit: perPage, offset: (page - 1) * perPage });
    // The schema refuses pages past the result window (measured in the API's page size).
    const reachable = Math.max(1, Math.floor(MAX_RESULT_WINDOW / query.per_page));
    const totalPages = Math.min(Math.ceil(result.total / perPage), reachable);
    const filters = { q, type, lang, per_page: c.req.query('per_page') ? perPage : undefined };
    return views.render(c, 'titles/index', {
      section: 'titles',
      title: q ? `“${q}”` : 'Titles',
      query: { q: q ?? '', type: type ?? '', lang: lang ?? '' },
      titles: result.titles.map(titleSearchResultJson),
      total: result.total,
      page,
      totalPages,
      capped: result.total > totalPages * perPage,
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
    let title = await titles.findById(id);
    if (!title) throw notFound('titles', 'title');
    engagement.recordView(title.title_id, source ?? 'dashboard');
    if (await enrichment.settle(title)) title = (await titles.findById(id)) ?? title;
    return views.render(c, 'titles/detail', {
      section: 'titles',
      title: title.display_name,
      record: titleJson(title),
      detailHref: title.movie_id || title.show_id ? paths.detail(title) : null,
    });
  });
}
