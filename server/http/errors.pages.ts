/**
 * Errors on page requests as pages in the site layout (404, 400, 500, …): the same AppError
 * the JSON API answers with, so the reason a visitor reads is the one a client would get.
 */
import type { Context } from 'hono';
import type { AppError } from './errors.ts';
import type { Views } from './views.ts';

const HEADINGS: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in needed',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported request',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

const heading = (status: number) => HEADINGS[status] ?? (status >= 500 ? 'Something went wrong' : 'Bad request');

// A 404 for a path names the path; the API's "no route for GET /x" reads oddly on a page.
const message = (c: Context, error: AppError) =>
  error.code === 'route.not_found' ? `There is no page at ${c.req.path}.` : error.message;

export function errorPageRenderer(views: Views) {
  return (c: Context, error: AppError) =>
    views.render(
      c,
      'errors/error',
      {
        title: heading(error.status),
        heading: heading(error.status),
        message: message(c, error),
        fields: error.fields ?? [],
        requestId: c.get('requestId'),
      },
      error.status,
    );
}
