/**
 * Every page in a real browser, on the real server with the imported IMDb sample: at phone
 * and desktop widths, light and dark, as a visitor and as the signed-in owner. A page passes
 * when it answers its status, has a heading, raises no console error, no failed request and
 * no HTTP error, fits the phone's width, follows the colour scheme, and labels every control
 * and image. Screenshots of each
 * go to test-output/screenshots/<look>/.
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  contextOptions,
  describeWithChromium,
  LOOKS,
  launchChromium,
  type Problems,
  screenshot,
  watchPage,
} from './browser.ts';
import { findSampleCatalogue, type SampleCatalogue, signInAsOwner } from './catalogue.ts';
import { type E2eServer, startE2eServer } from './server.ts';

interface PageVisit {
  name: string;
  path: string;
  status?: number;
  /** Swagger UI draws its own page (no site heading, its own light theme): only its loading is checked. */
  foreign?: boolean;
}

const visitorPages = (s: SampleCatalogue): PageVisit[] => [
  { name: 'home', path: '/' },
  { name: 'discover', path: '/discover' },
  { name: 'discover-filtered', path: `/discover?genre=${encodeURIComponent(s.genre)}&sort=top_rated` },
  { name: 'titles', path: '/titles' },
  { name: 'titles-search', path: `/titles?q=${encodeURIComponent(s.movie.display_name.slice(0, 5))}&type=movie` },
  { name: 'movie', path: `/movies/${s.movie.movie_id}` },
  { name: 'show', path: `/shows/${s.show.show_id}` },
  { name: 'title', path: `/titles/${s.movie.title_id}` },
  { name: 'collection', path: `/collections/${encodeURIComponent(s.collectionSlug)}` },
  { name: 'sync', path: '/sync' },
  { name: 'api-docs', path: '/api/docs', foreign: true },
  { name: 'not-found', path: '/no-such-page', status: 404 },
  { name: 'form-refused', path: `/movies/${s.movie.movie_id}/edit`, status: 403 },
  { name: 'settings-refused', path: '/settings', status: 403 },
];

const ownerPages = (s: SampleCatalogue): PageVisit[] => [
  { name: 'owner-titles', path: '/titles' },
  { name: 'owner-movie', path: `/movies/${s.movie.movie_id}` },
  { name: 'owner-show', path: `/shows/${s.show.show_id}` },
  { name: 'owner-sync', path: '/sync' },
  { name: 'owner-settings', path: '/settings' },
  { name: 'owner-new-title', path: '/titles/new' },
  { name: 'owner-edit-movie', path: `/movies/${s.movie.movie_id}/edit` },
  { name: 'owner-delete-show', path: `/shows/${s.show.show_id}/delete` },
  { name: 'owner-new-season', path: `/shows/${s.show.show_id}/seasons/new` },
  { name: 'owner-edit-season', path: `/seasons/${s.show.season_id}/edit` },
  { name: 'owner-new-episode', path: `/seasons/${s.show.season_id}/episodes/new` },
  { name: 'owner-edit-episode', path: `/episodes/${s.show.episode_id}/edit` },
];

/** Opens one page and returns what is wrong with it (nothing, when it passes). */
async function visit(page: Page, problems: Problems, baseUrl: string, target: PageVisit, look: (typeof LOOKS)[number]) {
  const status = target.status ?? 200;
  problems.reset();
  problems.expect(...(status >= 400 ? [status] : []));
  const response = await page.goto(`${baseUrl}${target.path}`, { waitUntil: 'load' });
  const found: string[] = [];
  if (response?.status() !== status) found.push(`status ${response?.status()}, expected ${status}`);
  if (!response?.headers()['content-security-policy']) found.push('no Content-Security-Policy header');
  const facts = await page.evaluate(() => ({
    heading: document.querySelector('h1')?.textContent?.trim() ?? '',
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    background: getComputedStyle(document.body).backgroundColor,
    // Controls a screen reader could not name, and images without a text alternative.
    unlabelled: [...document.querySelectorAll<HTMLInputElement>('input, select, textarea')]
      .filter((control) => control.type !== 'hidden' && control.type !== 'submit')
      .filter((control) => !control.labels?.length && !control.getAttribute('aria-label'))
      .map((control) => control.name || control.id || control.outerHTML.slice(0, 60)),
    imagesWithoutAlt: [...document.images].filter((image) => !image.hasAttribute('alt')).map((image) => image.src),
  }));
  if (look.viewport === 'phone' && facts.overflow > 1) found.push(`wider than the phone by ${facts.overflow}px`);
  if (!target.foreign) {
    if (!facts.heading) found.push('no h1');
    if (facts.unlabelled.length > 0) found.push(`controls without a label: ${facts.unlabelled.join(', ')}`);
    if (facts.imagesWithoutAlt.length > 0) found.push(`images without alt: ${facts.imagesWithoutAlt.join(', ')}`);
    const [r = 0, g = 0, b = 0] = (facts.background.match(/\d+/g) ?? []).map(Number);
    const dark = (r + g + b) / 3 < 128;
    if (dark !== (look.colorScheme === 'dark'))
      found.push(`background ${facts.background} in ${look.colorScheme} mode`);
  }
  await screenshot(page, look.name, target.name);
  found.push(...problems.list);
  return found.map((problem) => `${look.name} ${target.path}: ${problem}`);
}

function pagesSuite(dialect: 'sqlite' | 'pg', looks: typeof LOOKS) {
  let server: E2eServer;
  let browser: Browser;
  let sample: SampleCatalogue;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(dialect), launchChromium()]);
    sample = await findSampleCatalogue(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const look of looks) {
    it(`every page loads cleanly, ${look.name}, visitor and owner`, async () => {
      const found: string[] = [];
      const visitor = await browser.newContext(contextOptions(look));
      const page = await visitor.newPage();
      const problems = watchPage(page);
      for (const target of visitorPages(sample)) found.push(...(await visit(page, problems, server.url, target, look)));
      await visitor.close();

      const owner = await browser.newContext(contextOptions(look));
      await signInAsOwner(owner, server);
      const ownerPage = await owner.newPage();
      const ownerProblems = watchPage(ownerPage);
      for (const target of ownerPages(sample)) {
        found.push(...(await visit(ownerPage, ownerProblems, server.url, target, look)));
      }
      await owner.close();
      expect(found).toEqual([]);
    });
  }
}

describeWithChromium('pages in Chromium', () => {
  describe('on SQLite', () => pagesSuite('sqlite', LOOKS));
  // The same pages over PostgreSQL, at one look: the templates are the same, the data path is not.
  if (inject('pgUrl'))
    describe('on PostgreSQL', () =>
      pagesSuite(
        'pg',
        LOOKS.filter((l) => l.name === 'desktop-light'),
      ));
  else describe.skip('on PostgreSQL (no PostgreSQL server)', () => pagesSuite('pg', LOOKS.slice(0, 1)));
});
