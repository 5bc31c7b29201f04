/**
 * Cross-site request forgery against the signed-in owner, in a real browser: a page on
 * another origin auto-submits a form to the dashboard. From another port of 127.0.0.1 the
 * browser counts it as the same site and sends the SameSite=Strict cookie along, so the
 * Origin check is what refuses it; from another site the cookie is not even sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from './browser.ts';
import { signInAsOwner } from './catalogue.ts';
import { type E2eServer, startE2eServer } from './server.ts';

describeWithChromium('forged form posts from other origins', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let attacker: http.Server;
  let attackerPort: number;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer('sqlite'), launchChromium()]);
    context = await browser.newContext();
    await signInAsOwner(context, server);
    attacker = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<form id="f" method="post" action="${server.url}/movies/new">` +
          '<input name="display_name" value="Forged by another origin"></form>' +
          '<script>document.getElementById("f").submit()</script>',
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
  });
  afterAll(async () => {
    attacker?.close();
    await browser?.close();
    await server?.close();
  });

  const forge = async (attackerHost: string) => {
    const page = await context.newPage();
    const answer = page.waitForResponse((r) => r.url() === `${server.url}/movies/new`);
    await page.goto(`http://${attackerHost}:${attackerPort}/`);
    const response = await answer;
    const result = { status: response.status(), body: await response.text() };
    await page.close();
    return result;
  };

  it('refuses a post from another port of the same host, though the cookie came along', async () => {
    const { status, body } = await forge('127.0.0.1');
    expect(status).toBe(403);
    expect(body).toContain('another origin (Origin http://127.0.0.1:');
  });

  it('refuses a post from another site, which does not get the cookie', async () => {
    const { status } = await forge('localhost');
    expect(status).toBe(403);
  });

  it('creates nothing, while the owner can still write from the dashboard itself', async () => {
    const found = await server.api<{ total: number }>(`/api/titles?q=${encodeURIComponent('Forged by another')}`);
    expect(found.total).toBe(0);
    const page = await context.newPage();
    await page.goto(`${server.url}/movies/new`);
    await page.fill('#field-display_name', 'Made on the dashboard');
    await Promise.all([page.waitForURL(/\/movies\/\d+$/), page.click('.owner-form button[type=submit]')]);
    const made = await server.api<{ total: number }>(`/api/titles?q=${encodeURIComponent('Made on the dashboard')}`);
    expect(made.total).toBe(1);
    await page.close();
  });
});
