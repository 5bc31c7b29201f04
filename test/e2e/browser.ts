/**
 * One headless Chromium (Debian's, driven by playwright-core) per test file, and a watcher
 * that collects everything that would make a page broken for a visitor: console errors,
 * uncaught exceptions, failed requests, HTTP errors and any dialog (an injected alert()).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

/** The four ways every page is looked at: phone and desktop, light and dark. */
export const LOOKS = (['phone', 'desktop'] as const).flatMap((viewport) =>
  (['light', 'dark'] as const).map((colorScheme) => ({ viewport, colorScheme, name: `${viewport}-${colorScheme}` })),
);

/**
 * Registers browser tests. Without Chromium they cannot run: in CI that is a failing test
 * (as a missing PostgreSQL fails global setup), locally a loud warning and a skipped suite.
 */
export function describeWithChromium(title: string, body: () => void) {
  if (existsSync(CHROMIUM_PATH)) {
    describe(title, body);
    return;
  }
  const why = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) {
    describe(title, () => {
      it('needs Chromium in CI', () => {
        throw new Error(`${why}: the browser tests are required in CI`);
      });
    });
    return;
  }
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n!! ${why}:\n!! the end-to-end browser tests are SKIPPED.\n${bar}\n\n`);
  describe.skip(`${title} (no Chromium)`, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export function contextOptions(
  look: { viewport: keyof typeof VIEWPORTS; colorScheme: 'light' | 'dark' },
  extra: BrowserContextOptions = {},
): BrowserContextOptions {
  return {
    viewport: VIEWPORTS[look.viewport],
    colorScheme: look.colorScheme,
    isMobile: look.viewport === 'phone',
    hasTouch: look.viewport === 'phone',
    ...extra,
  };
}

export interface Problems {
  list: string[];
  /** Statuses ≥ 400 this step expects (a visitor opening a form URL gets its 403). */
  expect(...statuses: number[]): void;
  /** Forgets what was seen so far and the expected statuses. */
  reset(): void;
}

export function watchPage(page: Page): Problems {
  const list: string[] = [];
  let expected = new Set<number>();
  // Chromium logs every 4xx/5xx response as a console error; the response itself is checked.
  const loadError = /^Failed to load resource: the server responded with a status of (\d{3})/;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = loadError.exec(message.text())?.[1];
    if (status && expected.has(Number(status))) return;
    list.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => list.push(`uncaught exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // Leaving a page aborts its live event stream (the sync page's progress): not a failure.
    if (request.resourceType() === 'eventsource' && reason === 'net::ERR_ABORTED') return;
    list.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected.has(response.status())) {
      list.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  page.on('dialog', async (dialog) => {
    list.push(`dialog opened (${dialog.type()}): ${dialog.message()}`);
    await dialog.dismiss();
  });
  return {
    list,
    expect: (...statuses) => {
      expected = new Set(statuses);
    },
    reset: () => {
      list.length = 0;
      expected = new Set();
    },
  };
}

// Long pages (discover's carousels at phone width) are cut here: their top is what a reviewer
// compares, and a full capture costs seconds each.
const MAX_SCREENSHOT_HEIGHT = 2400;

/** A full-page screenshot (up to MAX_SCREENSHOT_HEIGHT) at test-output/screenshots/<look>/<name>.png. */
export async function screenshot(page: Page, look: string, name: string) {
  const dir = path.join(SCREENSHOT_DIR, look);
  await mkdir(dir, { recursive: true });
  const { width, height } = await page.evaluate(() => ({
    width: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight,
  }));
  await page.screenshot({
    path: path.join(dir, `${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, MAX_SCREENSHOT_HEIGHT) },
  });
}
