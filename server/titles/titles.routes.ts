import type { Hono, MiddlewareHandler } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { parseBody, parseId, parseQuery } from '../http/validation.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from '../tmdb/on-demand.ts';
import { titleJson, titleSearchResultJson } from './titles.json.ts';
import type { TitlesRepository } from './titles.repository.ts';
import { detailQuery, newTitleBody, titlePatchBody, titleSearchQuery } from './titles.schemas.ts';

export interface TitlesRoutesDeps {
  titles: TitlesRepository;
  requireAdmin: MiddlewareHandler;
  engagement: EngagementRecorder;
  /** TMDB data the title lacks, fetched within a small budget. */
  enrichment?: OnDemandEnrichment;
}

export function registerTitlesRoutes(
  api: Hono,
  { titles, requireAdmin, engagement, enrichment = noOnDemandEnrichment }: TitlesRoutesDeps,
) {
  api.get('/titles', async (c) => {
    const { q, type, lang, page = 1, per_page } = parseQuery(c, titleSearchQuery);
    const result = await titles.search({ q, type, lang, limit: per_page, offset: (page - 1) * per_page });
    return c.json({
      titles: result.titles.map(titleSearchResultJson),
      total: result.total,
      page,
      per_page,
      total_pages: Math.ceil(result.total / per_page),
      languages: result.languages,
    });
  });

  api.post('/titles', requireAdmin, async (c) => {
    const title = await titles.create(await parseBody(c, newTitleBody));
    c.header('Location', `/api/titles/${title.title_id}`);
    return c.json(titleJson(title), 201);
  });

  api.get('/titles/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    let title = await titles.findById(id);
    if (!title) throw notFound('titles', 'title');
    engagement.recordView(title.title_id, source);
    if (await enrichment.settle(title)) title = (await titles.findById(id)) ?? title;
    return c.json(titleJson(title));
  });

  api.put('/titles/:id', requireAdmin, async (c) => {
    const id = parseId(c);
    const existing = await titles.findById(id);
    if (!existing) throw notFound('titles', 'title');
    const title = await titles.update(id, await parseBody(c, titlePatchBody(existing.type)));
    if (!title) throw notFound('titles', 'title');
    return c.json(titleJson(title));
  });

  api.delete('/titles/:id', requireAdmin, async (c) => {
    if (!(await titles.delete(parseId(c)))) throw notFound('titles', 'title');
    return c.body(null, 204);
  });
}
