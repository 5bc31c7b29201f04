import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trayIconFile, trayTooltip } from './tray-icon.ts';
import { initialTrayState, type TrayState } from './tray-state.ts';

const idle: TrayState = {
  ...initialTrayState(),
  server: { state: 'running', url: 'http://127.0.0.1:8080', port: 8080, requestedPort: 8080 },
};
const syncing: TrayState = {
  ...idle,
  jobs: [{ kind: 'imdb', state: 'running', stage: 'load', percent: 30, error: null, finishedAt: null }],
};
const trayDir = path.join(import.meta.dirname, '..', 'static', 'tray');

describe('trayIconFile', () => {
  it('uses template images on macOS, busy while a job runs', () => {
    expect(trayIconFile(idle, { platform: 'darwin', dark: true })).toBe('trayTemplate.png');
    expect(trayIconFile(syncing, { platform: 'darwin', dark: false })).toBe('trayBusyTemplate.png');
  });

  it('picks the theme variant elsewhere', () => {
    expect(trayIconFile(idle, { platform: 'linux', dark: false })).toBe('tray-light.png');
    expect(trayIconFile(idle, { platform: 'linux', dark: true })).toBe('tray-dark.png');
    expect(trayIconFile(syncing, { platform: 'linux', dark: true })).toBe('tray-busy-dark.png');
  });

  it('every image it can name exists as a real PNG, with its @2x on macOS', () => {
    const names = new Set<string>();
    for (const state of [idle, syncing])
      for (const platform of ['darwin', 'linux'] as const)
        for (const dark of [false, true]) names.add(trayIconFile(state, { platform, dark }));
    for (const name of [...names, 'trayTemplate@2x.png', 'trayBusyTemplate@2x.png']) {
      const file = fs.readFileSync(path.join(trayDir, name));
      expect(file.subarray(1, 4).toString('ascii'), name).toBe('PNG');
      const width = file.readUInt32BE(16);
      expect(width, name).toBe(name.includes('@2x') || !name.includes('Template') ? 32 : 16);
    }
  });
});

describe('trayTooltip', () => {
  it('shows the job progress or the server URL', () => {
    expect(trayTooltip(syncing)).toBe('MediaCanon — imdb 30%');
    expect(trayTooltip(idle)).toBe('MediaCanon — http://127.0.0.1:8080');
  });
});
