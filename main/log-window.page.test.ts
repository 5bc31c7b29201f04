/**
 * The log window's page (renderer/log-window/) in headless Chromium, with the preload's
 * three calls stubbed: it draws what main answers, as text, asks again when the filter or
 * the level changes or the log grows, and reveals the file. Its CSP must let its own
 * script and stylesheet load (no console errors).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from '../test/e2e/browser.ts';

const pageUrl = pathToFileURL(path.join(import.meta.dirname, '..', 'renderer', 'log-window', 'index.html')).href;

declare global {
  interface Window {
    calls: Array<{ name: string; filter?: unknown }>;
    grow(): void;
  }
}

/** Stands in for preload.cjs: records calls and answers like main would. */
const stubPreload = () => {
  const lines = [
    { time: '2026-11-21T10:00:00.000Z', level: 'INFO', source: 'server', text: 'MediaCanon serving' },
    { time: '2026-11-21T10:00:01.000Z', level: 'ERROR', source: 'server', text: '<img src=x onerror=alert(1)> failed' },
  ];
  let changed = () => {};
  window.calls = [];
  window.grow = () => {
    lines.push({ time: '2026-11-21T10:00:02.000Z', level: 'WARN', source: 'main', text: 'grew' });
    changed();
  };
  Object.defineProperty(window, 'mediacanonLogs', {
    value: {
      read: async (filter: { text: string; minLevel: string }) => {
        window.calls.push({ name: 'read', filter });
        return lines.filter((line) => line.text.toLowerCase().includes(filter.text.toLowerCase()));
      },
      reveal: async () => window.calls.push({ name: 'reveal' }),
      onChanged: (listener: () => void) => {
        changed = listener;
      },
    },
  });
};

describeWithChromium('log window page', () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
    await page.addInitScript(stubPreload);
    await page.goto(pageUrl);
  });
  afterAll(async () => browser?.close());

  const rows = () => page.locator('#lines .line').allTextContents();
  const lastRead = () => page.evaluate(() => window.calls.filter((c) => c.name === 'read').at(-1)?.filter);

  it('draws the lines as text, never as HTML', async () => {
    await expect
      .poll(rows)
      .toEqual(['10:00:00 [server] MediaCanon serving', '10:00:01 [server] <img src=x onerror=alert(1)> failed']);
    expect(await page.locator('#lines img').count()).toBe(0);
    expect(await page.locator('#lines .line.ERROR').count()).toBe(1);
    expect(await page.locator('#status').textContent()).toBe('2 lines');
  });

  it('asks main again with the filter text and the chosen level', async () => {
    await page.fill('#filter', 'serving');
    await expect.poll(lastRead).toEqual({ text: 'serving', minLevel: 'INFO' });
    await expect.poll(rows).toEqual(['10:00:00 [server] MediaCanon serving']);
    await page.selectOption('#level', 'ERROR');
    await expect.poll(lastRead).toEqual({ text: 'serving', minLevel: 'ERROR' });
    await page.fill('#filter', '');
    await page.selectOption('#level', 'INFO');
  });

  it('follows the log as it grows', async () => {
    await page.evaluate(() => window.grow());
    await expect.poll(async () => (await rows()).at(-1)).toBe('10:00:02 [main] grew');
  });

  it('reveals the log file', async () => {
    await page.click('#reveal');
    await expect.poll(() => page.evaluate(() => window.calls.some((c) => c.name === 'reveal'))).toBe(true);
  });

  it('loads under its CSP without errors', () => {
    expect(problems).toEqual([]);
  });
});
