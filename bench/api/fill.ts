/**
 * Child-process entry (forked by run.ts): fills one database and reports its steps over IPC.
 * The fill runs apart from the server process so its memory does not count in the server's
 * peak RSS. Target in BENCH_FILL_TARGET (a file for SQLite, a URL for PostgreSQL).
 */
import { parseArgs } from 'node:util';
import { createDataset } from './data.ts';
import { fillPg } from './fill.pg.ts';
import { fillSqlite } from './fill.sqlite.ts';

const { values } = parseArgs({
  options: {
    dialect: { type: 'string' },
    titles: { type: 'string' },
    seed: { type: 'string' },
  },
});
const target = process.env.BENCH_FILL_TARGET;
const { dialect } = values;
if (!target || (dialect !== 'sqlite' && dialect !== 'pg') || !process.send) {
  console.error('fill.ts is started by bench/api/run.ts');
  process.exit(2);
}
const log = (line: string) => console.log(`[${dialect}] ${line}`);
const data = createDataset(Number(values.titles), Number(values.seed));
try {
  const steps = dialect === 'sqlite' ? await fillSqlite(target, data, log) : await fillPg(target, data, log);
  await new Promise<void>((resolve, reject) =>
    process.send?.({ steps }, undefined, {}, (error) => (error ? reject(error) : resolve())),
  );
  process.exit(0);
} catch (error) {
  console.error(`[${dialect}] fill failed: ${(error as Error).stack}`);
  process.exit(1);
}
