/**
 * The admin token guards every write. ADMIN_TOKEN wins; otherwise one is generated on
 * first start and kept in the data directory, readable by the owner only.
 *
 * A running server holds the token in an AdminTokenStore so that a rotation takes effect
 * at once: rotate() through the server (tray, admin API), or `mediacanon token rotate` from
 * another process, which the store notices by the file changing (checked at most once a
 * second, so a request costs no file system call in the common case).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tokenMatches } from './http/auth.ts';

export const adminTokenFile = (dataDir: string) => path.join(dataDir, 'admin-token');

const MIN_LENGTH = 16;
const newToken = () => randomBytes(32).toString('base64url');

export class AdminTokenFromEnvironmentError extends Error {
  override name = 'AdminTokenFromEnvironmentError';
  constructor() {
    super('the admin token comes from the ADMIN_TOKEN environment variable: change it there (and restart) instead');
  }
}

/** Writes a fresh token into the data dir file, atomically (a reader never sees half a token). */
export function writeNewAdminToken(dataDir: string): string {
  const token = newToken();
  const file = adminTokenFile(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return token;
}

function readStoredToken(file: string): string | null {
  try {
    const stored = fs.readFileSync(file, 'utf8').trim();
    return stored.length >= MIN_LENGTH ? stored : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function resolveAdminToken({ adminToken, dataDir }: { adminToken: string | null; dataDir: string }): string {
  if (adminToken) return adminToken;
  return readStoredToken(adminTokenFile(dataDir)) ?? writeNewAdminToken(dataDir);
}

/** `mediacanon token rotate`: refuses when the token is set in the environment. */
export function rotateAdminTokenFile({ adminToken, dataDir }: { adminToken: string | null; dataDir: string }) {
  if (adminToken) throw new AdminTokenFromEnvironmentError();
  writeNewAdminToken(dataDir);
  return { file: adminTokenFile(dataDir) };
}

export interface AdminTokenStore {
  /** Constant-time check of a presented token against the current one. */
  matches(given: string): boolean;
  /** Notices a rotation made by another process; cheap, call it on every request. */
  refresh(): void;
  /** A new token, effective at once; throws AdminTokenFromEnvironmentError for ADMIN_TOKEN. */
  rotate(): string;
  /** Called after every rotation, wherever it came from (sessions end on it). */
  onRotate(listener: () => void): () => void;
  readonly fromEnvironment: boolean;
}

/** A token that never changes (tests, and an ADMIN_TOKEN from the environment). */
export function fixedAdminToken(token: string, { fromEnvironment = true } = {}): AdminTokenStore {
  return {
    matches: (given) => tokenMatches(given, token),
    refresh() {},
    rotate() {
      throw new AdminTokenFromEnvironmentError();
    },
    onRotate: () => () => {},
    fromEnvironment,
  };
}

export interface AdminTokenStoreOptions {
  adminToken: string | null;
  dataDir: string;
  checkEveryMs?: number;
  now?: () => number;
}

export function createAdminTokenStore({
  adminToken,
  dataDir,
  checkEveryMs = 1000,
  now = Date.now,
}: AdminTokenStoreOptions): AdminTokenStore {
  if (adminToken) return fixedAdminToken(adminToken);
  const file = adminTokenFile(dataDir);
  let token = resolveAdminToken({ adminToken, dataDir });
  const listeners = new Set<() => void>();
  // The file's identity: a rename gives a new inode, a rewrite a new mtime.
  const stamp = () => {
    try {
      const stat = fs.statSync(file);
      return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return 'missing';
    }
  };
  let seen = stamp();
  let checkedAt = now();

  const changed = (next: string) => {
    token = next;
    for (const listener of listeners) listener();
  };

  const refresh = () => {
    if (now() - checkedAt < checkEveryMs) return;
    checkedAt = now();
    const current = stamp();
    if (current === seen) return;
    seen = current;
    const stored = readStoredToken(file);
    // A deleted or truncated file does not lock the owner out: the last good token stays.
    if (stored && stored !== token) changed(stored);
  };

  return {
    matches(given) {
      refresh();
      return tokenMatches(given, token);
    },
    refresh,
    rotate() {
      const next = writeNewAdminToken(dataDir);
      seen = stamp();
      checkedAt = now();
      changed(next);
      return next;
    },
    onRotate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fromEnvironment: false,
  };
}
