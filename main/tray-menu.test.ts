import { describe, expect, it, vi } from 'vitest';
import { buildTrayMenu } from './tray-menu.ts';

const actions = () => ({ copyUrl: vi.fn(), openDashboard: vi.fn(), quit: vi.fn() });

describe('buildTrayMenu', () => {
  it('shows the URL while running and copies it on click', () => {
    const a = actions();
    const menu = buildTrayMenu({ server: { status: 'running', url: 'http://127.0.0.1:8080' } }, a);
    expect(menu[0]?.label).toContain('http://127.0.0.1:8080');
    menu[0]?.click?.();
    expect(a.copyUrl).toHaveBeenCalledWith('http://127.0.0.1:8080');
    const open = menu.find((item) => item.label === 'Open Dashboard');
    expect(open?.enabled).toBe(true);
    open?.click?.();
    expect(a.openDashboard).toHaveBeenCalledOnce();
  });

  it('disables the dashboard while the server is not running', () => {
    for (const status of ['starting', 'stopped'] as const) {
      const menu = buildTrayMenu({ server: { status, url: null } }, actions());
      expect(menu[0]).toMatchObject({ enabled: false });
      expect(menu.find((item) => item.label === 'Open Dashboard')?.enabled).toBe(false);
    }
  });

  it('always offers Quit', () => {
    const a = actions();
    const menu = buildTrayMenu({ server: { status: 'stopped', url: null } }, a);
    menu.at(-1)?.click?.();
    expect(a.quit).toHaveBeenCalledOnce();
  });
});
