/** The app version measured. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The app version measured: the commit, and the files changed on top of it (bench/ aside). */
export function appVersion(): { commit: string; changed: string[] } {
  // Only trailing whitespace goes: porcelain lines start with a status column that may be a space.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' }).trimEnd();
  try {
    const changed = git('status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .map((line) => line.slice(3))
      .filter((file) => file && !file.startsWith('bench/') && !file.startsWith('test-output/'));
    return { commit: git('rev-parse', '--short', 'HEAD'), changed };
  } catch {
    return { commit: 'unknown', changed: [] };
  }
}
