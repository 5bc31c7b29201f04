import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AdminTokenFromEnvironmentError,
  adminTokenFile,
  createAdminTokenStore,
  rotateAdminTokenFile,
} from './admin-token.ts';
import { runCli } from './cli.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-token-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const stored = () => fs.readFileSync(adminTokenFile(dataDir), 'utf8').trim();

describe('admin token store', () => {
  it('generates a token into the data dir, readable by the owner only', () => {
    const tokens = createAdminTokenStore({ adminToken: null, dataDir });
    const token = stored();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(fs.statSync(adminTokenFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(tokens.matches(token)).toBe(true);
    expect(tokens.matches(`${token}x`)).toBe(false);
    expect(createAdminTokenStore({ adminToken: null, dataDir }).matches(token)).toBe(true);
  });

  it('rotates at once: the old token stops matching, the file holds the new one, listeners hear of it', () => {
    const tokens = createAdminTokenStore({ adminToken: null, dataDir });
    const old = stored();
    let rotations = 0;
    tokens.onRotate(() => rotations++);
    const fresh = tokens.rotate();
    expect(fresh).not.toBe(old);
    expect(stored()).toBe(fresh);
    expect(tokens.matches(old)).toBe(false);
    expect(tokens.matches(fresh)).toBe(true);
    expect(rotations).toBe(1);
    expect(fs.readdirSync(dataDir)).toEqual(['admin-token']); // no temporary file left behind
  });

  it('notices a rotation by another process (the CLI) within a second', () => {
    let now = 0;
    const tokens = createAdminTokenStore({ adminToken: null, dataDir, now: () => now });
    const old = stored();
    let rotations = 0;
    tokens.onRotate(() => rotations++);
    rotateAdminTokenFile({ adminToken: null, dataDir });
    const fresh = stored();
    now = 500;
    expect(tokens.matches(old)).toBe(true); // not looked at yet: at most one check a second
    now = 1000;
    expect(tokens.matches(old)).toBe(false);
    expect(tokens.matches(fresh)).toBe(true);
    expect(rotations).toBe(1);
  });

  it('keeps the last good token when the file disappears', () => {
    let now = 0;
    const tokens = createAdminTokenStore({ adminToken: null, dataDir, now: () => now });
    const token = stored();
    fs.rmSync(adminTokenFile(dataDir));
    now = 5000;
    expect(tokens.matches(token)).toBe(true);
  });

  it('refuses to rotate a token that comes from ADMIN_TOKEN', () => {
    const fromEnv = 'from-the-environment-0123456789';
    const tokens = createAdminTokenStore({ adminToken: fromEnv, dataDir });
    expect(tokens.fromEnvironment).toBe(true);
    expect(tokens.matches(fromEnv)).toBe(true);
    expect(() => tokens.rotate()).toThrow(AdminTokenFromEnvironmentError);
    expect(() => rotateAdminTokenFile({ adminToken: fromEnv, dataDir })).toThrow(/ADMIN_TOKEN/);
    expect(fs.existsSync(adminTokenFile(dataDir))).toBe(false);
  });
});

describe('mediacanon token rotate', () => {
  it('writes a new token and says where; refuses for ADMIN_TOKEN and without the action', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      createAdminTokenStore({ adminToken: null, dataDir });
      const old = stored();
      expect(await runCli(['token', 'rotate', '--data-dir', dataDir], {})).toBe(0);
      expect(stored()).not.toBe(old);
      expect(out).toHaveBeenCalledWith(expect.stringContaining(adminTokenFile(dataDir)));
      const fresh = stored();
      const env = { ADMIN_TOKEN: 'from-the-environment-0123456789' };
      expect(await runCli(['token', 'rotate', '--data-dir', dataDir], env)).toBe(2);
      expect(err).toHaveBeenCalledWith(expect.stringContaining('ADMIN_TOKEN'));
      expect(stored()).toBe(fresh);
      expect(await runCli(['token', '--data-dir', dataDir], {})).toBe(2);
      expect(await runCli(['token', 'show', '--data-dir', dataDir], {})).toBe(2);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
