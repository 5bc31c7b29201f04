/** The bench:api command line. */
import { parseArgs } from 'node:util';
import { type DialectName, parseDialect, UsageError } from '../shared/options.ts';

export interface Options {
  titles: number;
  dialect: DialectName | 'both';
  duration: number;
  requests: number;
  maxSeconds: number;
  baselineSeconds: number;
  connections: number;
  seed: number;
  explain: boolean;
  phases: Phase[];
}

export const PHASES = ['search', 'discover', 'middleware'] as const;
export type Phase = (typeof PHASES)[number];

export const USAGE = `usage: npm run bench:api -- [options]
  --titles N             titles to generate (default 1000000)
  --dialect D            sqlite, pg or both (default both)
  --duration S           seconds per throughput phase (default 10)
  --requests N           sequential requests per latency metric (default 200)
  --max-seconds S        stop a latency metric early after S seconds, if it has 50 samples (default 60)
  --baseline-seconds S   the same for each baseline metric, with at least 10 samples (default 30)
  --connections N        connections for the throughput phases (default 32)
  --seed N               data set seed (default 20240601)
  --explain              also print the app's SQL for each kind of request with its plan
  --phases LIST          comma-separated, any of search,discover,middleware (default all):
                           search      search and show-detail latency, throughput, the Go baseline
                           discover    discover p50/p99 per sort and filter mix, carousels req/s
                           middleware  req/s of cached (304) and uncached search, full middleware
                                       stack vs none, as a ratio measured side by side
PostgreSQL: BENCH_DATABASE_URL (a fresh database is created on it), else a throwaway server.`;

const wholeNumber = (name: string, raw: string, min: number) => {
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got ${raw})`);
  return n;
};

function parsePhases(raw: string): Phase[] {
  const phases = raw.split(',').map((p) => p.trim());
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0 || phases.length === 0) {
    throw new UsageError(`--phases takes ${PHASES.join(', ')} (got ${raw})`);
  }
  return phases as Phase[];
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      titles: { type: 'string', default: '1000000' },
      dialect: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '10' },
      requests: { type: 'string', default: '200' },
      'max-seconds': { type: 'string', default: '60' },
      'baseline-seconds': { type: 'string', default: '30' },
      connections: { type: 'string', default: '32' },
      seed: { type: 'string', default: '20240601' },
      explain: { type: 'boolean', default: false },
      phases: { type: 'string', default: PHASES.join(',') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const dialect = parseDialect(values.dialect);
  return {
    titles: wholeNumber('titles', values.titles, 1000),
    dialect,
    duration: wholeNumber('duration', values.duration, 1),
    requests: wholeNumber('requests', values.requests, 1),
    maxSeconds: wholeNumber('max-seconds', values['max-seconds'], 1),
    baselineSeconds: wholeNumber('baseline-seconds', values['baseline-seconds'], 1),
    connections: wholeNumber('connections', values.connections, 1),
    seed: wholeNumber('seed', values.seed, 0),
    explain: values.explain,
    phases: parsePhases(values.phases),
  };
}

/** The command line that makes a child run one dialect with the same options. */
export function childArgs(options: Options, dialect: DialectName): string[] {
  return [
    ...['--titles', String(options.titles), '--dialect', dialect, '--duration', String(options.duration)],
    ...['--requests', String(options.requests), '--max-seconds', String(options.maxSeconds)],
    ...['--baseline-seconds', String(options.baselineSeconds), '--connections', String(options.connections)],
    ...['--seed', String(options.seed), '--phases', options.phases.join(',')],
    ...(options.explain ? ['--explain'] : []),
  ];
}
