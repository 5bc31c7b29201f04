import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

// One copy of "make a temp dir, remove it after the test" for the test files that each kept their own.
/**
 * Registers an afterEach that removes every directory made since the last test and returns
 * `make(prefix)`, which creates one under the OS temp directory. With `children`, the
 * directories are removed only once every child in the list (emptied) has exited: those
 * still running are killed, since a child may still be writing into them.
 */
export function tempDirs(options: { children?: ChildProcess[] } = {}) {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all((options.children?.splice(0) ?? []).map(stop));
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return function make(prefix: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
