/** What both benches' command lines share: the dialect choice and the usage error. */

export type DialectName = 'sqlite' | 'pg';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** --dialect: sqlite, pg or both. */
export function parseDialect(dialect: string): DialectName | 'both' {
  if (dialect !== 'sqlite' && dialect !== 'pg' && dialect !== 'both') {
    throw new UsageError(`--dialect must be sqlite, pg or both (got ${dialect})`);
  }
  return dialect;
}

/** This process's options; on a usage error, the error and the usage, and exit 2. */
export function optionsOrExit<T>(parse: (argv: string[]) => T, usage: string): T {
  try {
    return parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}
