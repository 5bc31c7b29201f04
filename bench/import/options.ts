/** The bench:import command line. */
import { parseArgs } from 'node:util';
import { type DialectName, parseDialect, UsageError } from '../shared/options.ts';

export interface Options {
  scale: number;
  dialect: DialectName | 'both';
  keepData: string | null;
  seed: number;
  rounds: number;
  /** PostgreSQL: the locale of every database the run creates (null: the server's default). */
  pgLocale: string | null;
}

export const USAGE = `usage: npm run bench:import -- [options]
  --scale S          dataset scale (default 0.1; 1.0 ≈ the real IMDb export and the spec's figure)
  --dialect D        sqlite, pg or both (default both)
  --keep-data DIR    generate the datasets under DIR once and reuse them on later runs
  --seed N           generator seed (default 1)
  --rounds N         measure the floor and the full import N times in turn (1-5, default 1) and
                     report the round of median ratio: a slow spell of the machine then skews one
                     round, not the verdict
  --pg-locale L      PostgreSQL: create every database with locale L (e.g. en_US.UTF-8, which the
                     server's machine must have), to measure under a linguistic collation as many
                     servers use (default: the server's own; the throwaway server's is C.UTF-8)
PostgreSQL: BENCH_DATABASE_URL (a fresh database is created on it), else a throwaway server.`;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      scale: { type: 'string', default: '0.1' },
      dialect: { type: 'string', default: 'both' },
      'keep-data': { type: 'string' },
      seed: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '1' },
      'pg-locale': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 4) {
    throw new UsageError(`--scale must be a number in (0, 4] (got ${values.scale})`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number (got ${values.seed})`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 5) {
    throw new UsageError(`--rounds must be a whole number from 1 to 5 (got ${values.rounds})`);
  }
  const pgLocale = values['pg-locale'] ?? null;
  // Spliced into CREATE DATABASE: a locale name's characters only.
  if (pgLocale !== null && !/^[A-Za-z0-9_.@-]{1,64}$/.test(pgLocale)) {
    throw new UsageError(`--pg-locale must be a locale name such as en_US.UTF-8 (got ${pgLocale})`);
  }
  const dialect = parseDialect(values.dialect);
  return { scale, dialect, keepData: values['keep-data'] ?? null, seed, rounds, pgLocale };
}
