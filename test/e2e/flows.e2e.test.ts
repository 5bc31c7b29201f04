/**
 * What people do on the dashboard, in a real browser on the real server: search and filter
 * as a visitor, add/edit/delete as the owner (with JavaScript off: the forms must not need
 * it), and what a visitor may not do. Markup typed into a form or a URL must come back as
 * text: any dialog an injected alert() opens is a failure (watchPage records it).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  contextOptions,
  describeWithChromium,
  launchChromium,
  type Problems,
  screenshot,
  watchPage,
} from './browser.ts';
import { findSampleCatalogue, type SampleCatalogue, signInAsOwner } from './catalogue.ts';
import { type E2eServer, startE2eServer } from './server.ts';

const XSS = '<script>alert(1)</script>';
const LOOK = 'desktop-light';
const DESKTOP = { viewport: 'desktop', colorScheme: 'light' } as const;

describeWithChromium('dashboard flows in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let sample: SampleCatalogue;
  let context: BrowserContext;
  let page: Page;
  let problems: Problems;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer('sqlite'), launchChromium()]);
    sample = await findSampleCatalogue(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
  });

  const open = async (options: { owner?: boolean; javaScript?: boolean } = {}) => {
    context = await browser.newContext(contextOptions(DESKTOP, { javaScriptEnabled: options.javaScript ?? true }));
    if (options.owner) await signInAsOwner(context, server);
    page = await context.newPage();
    problems = watchPage(page);
  };
  const go = (path: string) => page.goto(`${server.url}${path}`);
  const cardTitles = () => page.locator('.grid .card-title').allTextContents();

  describe('as a visitor', () => {
    it('searches from the header and narrows by type on the titles page', async () => {
      await open();
      await go('/');
      // Lower case and cut short: search ignores case, and a name matched by its start ranks first.
      const word = sample.movie.display_name.toLowerCase().slice(0, 6);
      await page.fill('#site-search', word);
      await Promise.all([page.waitForURL(/\/titles\?/), page.press('#site-search', 'Enter')]);
      expect(new URL(page.url()).searchParams.get('q')).toBe(word);
      expect(await cardTitles()).toContain(sample.movie.display_name);

      await page.selectOption('#titles-type', 'show');
      await Promise.all([page.waitForURL(/type=show/), page.click('form.filters button[type=submit]')]);
      const showLinks = await page
        .locator('.grid a.card-link')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const href of showLinks) expect(href).toMatch(/^\/shows\/\d+$/);
      expect(await cardTitles()).not.toContain(sample.movie.display_name);

      await Promise.all([page.waitForURL(/type=movie/), page.click('.chips a.chip:text-is("Movies")')]);
      expect(await cardTitles()).toContain(sample.movie.display_name);
      await screenshot(page, LOOK, 'flow-search');
      expect(problems.list).toEqual([]);
    });

    it('filters discover by genre and sorts it, with and without JavaScript', async () => {
      for (const javaScript of [true, false]) {
        await open({ javaScript });
        await go('/discover');
        await Promise.all([
          page.waitForURL(/genre=/),
          page.locator('.chips[aria-label="Genre"] a.chip', { hasText: sample.genre }).first().click(),
        ]);
        expect(new URL(page.url()).searchParams.get('genre')).toBe(sample.genre);
        await page.selectOption('#discover-sort', 'a-z');
        // With JavaScript the form submits on change and hides its button; without, the button submits.
        if (!javaScript) await page.click('[data-auto-submit-button]');
        await page.waitForURL(/sort=a-z/);
        expect(new URL(page.url()).searchParams.get('genre')).toBe(sample.genre);
        const names = await cardTitles();
        expect(names.length).toBeGreaterThan(1);
        // Initials in order, ignoring case: whether "DNA" sorts before "Darre" is the collation's call.
        const initials = names.map((name) => name.charAt(0).toLowerCase());
        expect(initials).toEqual([...initials].sort());
        await screenshot(page, LOOK, `flow-discover-${javaScript ? 'js' : 'nojs'}`);
        expect(problems.list).toEqual([]);
        await context.close();
      }
    });

    it('shows read-only pages: no edit links, and form URLs refused', async () => {
      await open();
      for (const path of [`/movies/${sample.movie.movie_id}`, `/shows/${sample.show.show_id}`]) {
        await go(path);
        const ownerLinks = await page
          .locator('a[href$="/edit"], a[href$="/delete"], a[href$="/new"], a[href="/settings"]')
          .count();
        expect(ownerLinks, path).toBe(0);
      }
      problems.expect(403);
      const refused = await go('/movies/new');
      expect(refused?.status()).toBe(403);
      expect(await page.locator('h1').textContent()).toBe('Not allowed');
      const before = await server.api<{ total: number }>('/api/titles?per_page=1');
      // A visitor's own POST, as a hand-made form on the page would send it.
      const status = await page.evaluate(async () => {
        const res = await fetch('/movies/new', { method: 'POST', body: new URLSearchParams({ display_name: 'Nope' }) });
        return res.status;
      });
      expect(status).toBe(403);
      expect((await server.api<{ total: number }>('/api/titles?per_page=1')).total).toBe(before.total);
      expect(problems.list).toEqual([]);
    });

    it('renders markup in search and filter parameters as text', async () => {
      await open();
      await go(`/titles?q=${encodeURIComponent(XSS)}`);
      expect(await page.locator('[role=status]').first().textContent()).toContain(XSS);
      await go(`/discover?genre=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
      expect(await page.locator('img[src=x]').count()).toBe(0);
      expect(problems.list).toEqual([]);
    });
  });

  describe('as the owner', () => {
    it('adds a movie (fixing a refused field), edits it and deletes it, with JavaScript off', async () => {
      await open({ owner: true, javaScript: false });
      await go('/titles/new');
      await page.selectOption('#field-type', 'movie');
      await page.fill('#field-display_name', XSS);
      await page.fill('#field-start_year', 'nineteen ninety');
      await page.fill('#field-genres', 'Drama, E2E Genre');
      problems.expect(400);
      const refused = await Promise.all([page.waitForNavigation(), page.click('.owner-form button[type=submit]')]);
      expect(refused[0]?.status()).toBe(400);
      await expect
        .poll(() => page.locator('#field-start_year-error').textContent())
        .toContain('must be a whole number');
      expect(await page.getAttribute('#field-start_year', 'aria-describedby')).toContain('field-start_year-error');
      expect(await page.inputValue('#field-display_name')).toBe(XSS);
      await screenshot(page, LOOK, 'flow-form-errors');

      problems.expect();
      await page.fill('#field-start_year', '1999');
      await Promise.all([page.waitForURL(/\/movies\/\d+$/), page.click('.owner-form button[type=submit]')]);
      const movieUrl = page.url();
      expect(await page.locator('h1').textContent()).toContain(XSS);
      expect(await page.locator('.facts').textContent()).toContain('E2E Genre');
      await screenshot(page, LOOK, 'flow-created');

      await Promise.all([page.waitForURL(/\/edit$/), page.click('.owner-actions a:text-is("Edit")')]);
      await page.fill('#field-runtime_minutes', '101');
      await Promise.all([page.waitForURL(movieUrl), page.click('.owner-form button[type=submit]')]);
      expect(await page.locator('.facts').textContent()).toContain('101 min');

      await Promise.all([page.waitForURL(/\/delete$/), page.click('.owner-actions a:text-is("Delete")')]);
      expect(await page.locator('h1').textContent()).toBe(`Delete the movie “${XSS}” (1999)?`);
      await screenshot(page, LOOK, 'flow-delete-confirm');
      await Promise.all([page.waitForURL(/\/titles\?type=movie$/), page.click('button.danger')]);
      const id = movieUrl.split('/').pop();
      expect((await fetch(`${server.url}/api/movies/${id}`)).status).toBe(404);
      expect(problems.list).toEqual([]);
    });

    it('with JavaScript on, a refused form moves focus to its list of problems', async () => {
      await open({ owner: true });
      await go(`/seasons/${sample.show.season_id}/episodes/new`);
      await page.fill('#field-episode_number', 'one');
      problems.expect(400);
      await Promise.all([page.waitForNavigation(), page.click('.owner-form button[type=submit]')]);
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.classList.contains('form-errors')))
        .toBe(true);
      await page.click('.form-errors a');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-episode_number');
      expect(problems.list).toEqual([]);
    });

    it('adds a show, a season and an episode, then deletes the episode, with JavaScript off', async () => {
      await open({ owner: true, javaScript: false });
      await go('/shows/new');
      await page.fill('#field-display_name', 'E2E Show');
      await page.fill('#field-start_year', '2020');
      await Promise.all([page.waitForURL(/\/shows\/\d+$/), page.click('.owner-form button[type=submit]')]);
      const showUrl = page.url();

      await Promise.all([page.waitForURL(/\/seasons\/new$/), page.click('.owner-actions a:text-is("Add season")')]);
      expect(await page.inputValue('#field-season_number')).toBe('1');
      await Promise.all([page.waitForURL(`${showUrl}#season-1`), page.click('.owner-form button[type=submit]')]);

      await Promise.all([page.waitForURL(/\/episodes\/new$/), page.click('#season-1 a:text-is("Add episode")')]);
      await page.fill('#field-display_name', 'Pilot');
      await page.fill('#field-air_date', '2020-01-05');
      await page.fill('#field-synopsis', `It begins. ${XSS}`);
      await Promise.all([page.waitForURL(/#episode-\d+$/), page.click('.owner-form button[type=submit]')]);
      expect(page.url().startsWith(`${showUrl}#episode-`)).toBe(true);
      const episode = page.locator('#season-1 .episode', { hasText: 'Pilot' });
      // The redirect points at the new episode on the show page.
      expect(await episode.isVisible()).toBe(true);
      expect(await episode.textContent()).toContain(`It begins. ${XSS}`);
      await screenshot(page, LOOK, 'flow-episode-added');

      await Promise.all([
        page.waitForURL(/\/episodes\/\d+\/edit$/),
        episode.locator('a:text-is("Edit episode")').click(),
      ]);
      await Promise.all([page.waitForURL(/\/delete$/), page.click('a:text-is("Delete this episode…")')]);
      await Promise.all([page.waitForURL(`${showUrl}#season-1`), page.click('button.danger')]);
      expect(await page.locator('#season-1 .episode').count()).toBe(0);
      expect(problems.list).toEqual([]);
    });
  });
});
