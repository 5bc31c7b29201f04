import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../server/logger.ts';
import { createLoginItem } from './login-item.ts';

const fakeApp = () => {
  let openAtLogin = false;
  return {
    getLoginItemSettings: () => ({ openAtLogin }),
    setLoginItemSettings: (settings: { openAtLogin: boolean }) => {
      openAtLogin = settings.openAtLogin;
    },
  };
};

describe('login item', () => {
  it('turns Start at Login on and off on macOS', () => {
    const item = createLoginItem({ app: fakeApp(), platform: 'darwin', log: createMemoryLogger() });
    expect(item.enabled()).toBe(false);
    expect(item.set(true)).toBe(true);
    expect(item.enabled()).toBe(true);
    expect(item.set(false)).toBe(false);
  });

  it('says it is unavailable on Linux instead of pretending', () => {
    const log = createMemoryLogger();
    const app = fakeApp();
    const item = createLoginItem({ app, platform: 'linux', log });
    expect(item.set(true)).toBe(false);
    expect(app.getLoginItemSettings().openAtLogin).toBe(false);
    expect(log.lines).toEqual(['WARN Start at Login is not available on linux']);
  });
});
