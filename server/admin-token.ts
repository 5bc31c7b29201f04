/**
 * The admin token guards every write. ADMIN_TOKEN wins; otherwise one is generated on
 * first start and kept in the data directory, readable by the owner only.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const adminTokenFile = (dataDir: string) => path.join(dataDir, 'admin-token');

export function resolveAdminToken({ adminToken, dataDir }: { adminToken: string | null; dataDir: string }): string {
  if (adminToken) return adminToken;
  const file = adminTokenFile(dataDir);
  try {
    const stored = fs.readFileSync(file, 'utf8').trim();
    if (stored.length >= 16) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
