import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../server/logger.ts';
import { createDashboardOpener } from './dashboard.ts';

function setup(signInUrl: string | null, currentUrl: string | null = 'http://127.0.0.1:8080') {
  const openExternal = vi.fn(async () => {});
  const log = createMemoryLogger();
  const open = createDashboardOpener({
    requestSignInUrl: async () => signInUrl,
    currentUrl: () => currentUrl,
    openExternal,
    log,
  });
  return { open, openExternal, log };
}

describe('Open Dashboard', () => {
  it('opens the one-time sign-in URL the server minted', async () => {
    const { open, openExternal } = setup('http://127.0.0.1:8080/auth/sign-in?token=one-time');
    await open();
    expect(openExternal).toHaveBeenCalledWith('http://127.0.0.1:8080/auth/sign-in?token=one-time');
  });

  it('falls back to the plain URL when the server gives no sign-in URL', async () => {
    const { open, openExternal, log } = setup(null);
    await open();
    expect(openExternal).toHaveBeenCalledWith('http://127.0.0.1:8080');
    expect(log.lines[0]).toMatch(/opening signed out/);
  });

  it('never opens a sign-in URL for another origin', async () => {
    const { open, openExternal } = setup('https://evil.example/auth?token=x');
    await open();
    expect(openExternal).toHaveBeenCalledWith('http://127.0.0.1:8080');
  });

  it('opens a server bound to every interface on loopback', async () => {
    const { open, openExternal } = setup('http://0.0.0.0:8080/auth/sign-in?token=t', 'http://0.0.0.0:8080');
    await open();
    expect(openExternal).toHaveBeenCalledWith('http://127.0.0.1:8080/auth/sign-in?token=t');
  });

  it('does nothing while the server is down', async () => {
    const { open, openExternal } = setup('http://127.0.0.1:8080/x', null);
    await open();
    expect(openExternal).not.toHaveBeenCalled();
  });
});
