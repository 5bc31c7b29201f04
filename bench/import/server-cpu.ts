/**
 * CPU time the PostgreSQL server spends, read from /proc: the postmaster's own, its
 * finished children's (each connection's backend is a child, waited for when it ends)
 * and its live children's. On a machine others share, wall time stretches with their
 * load while CPU time mostly does not, so the report gives both. Only for a server on
 * this machine (the throwaway one); null where /proc or its data directory is out of reach.
 */
import fs from 'node:fs';
import path from 'node:path';
import { adminQuery } from '../shared/postgres.ts';

// Linux reports these fields in clock ticks; USER_HZ is 100 on every mainstream build.
const MS_PER_TICK = 10;

/** Fields after the command name: state is [0], utime [11], stime [12], cutime [13], cstime [14]. */
function statFields(pid: string): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const ticks = (fields: string[], from: number, to: number) =>
  fields.slice(from, to + 1).reduce((sum, value) => sum + Number(value), 0);

/** A function returning the server's CPU milliseconds so far, or null when it cannot be read. */
export async function serverCpuSampler(url: string): Promise<(() => number) | null> {
  try {
    const { rows } = await adminQuery(url, 'SHOW data_directory');
    const dir = String(rows[0]?.data_directory);
    const postmaster = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]?.trim();
    if (!postmaster || !statFields(postmaster)) return null;
    return () => {
      const own = statFields(postmaster);
      let total = own ? ticks(own, 11, 14) : 0;
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const fields = statFields(pid);
        if (fields?.[1] === postmaster) total += ticks(fields, 11, 12);
      }
      return total * MS_PER_TICK;
    };
  } catch {
    return null;
  }
}
