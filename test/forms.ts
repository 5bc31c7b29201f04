/** Posting HTML forms to a test app, as the owner (admin token) or as a visitor. */
import type { TestApp } from './app.ts';
import { TEST_TOKEN } from './app.ts';

export const OWNER = { authorization: `Bearer ${TEST_TOKEN}` };

export function postForm(
  t: TestApp,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = OWNER,
) {
  return t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A page as the owner sees it. */
export const getAsOwner = (t: TestApp, path: string) => t.app.request(path, { headers: OWNER });

/** The id at the end of a redirect to a detail page, e.g. /shows/12 → 12. */
export function idFromLocation(res: Response, prefix: string): number {
  const location = res.headers.get('location') ?? '';
  const match = new RegExp(`^${prefix}/(\\d+)`).exec(location);
  if (!match) throw new Error(`expected a redirect to ${prefix}/<id>, got ${res.status} ${location}`);
  return Number(match[1]);
}
