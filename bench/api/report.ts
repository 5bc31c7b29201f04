/** The per-dialect result: a table for stdout and the same data as JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Latency, Throughput } from './measure.ts';

/** The spec's targets at 1M titles. */
export const TARGETS = {
  search: { p50: 5, p99: 25 },
  showDetail: { p50: 3 },
  discover: { p50: 20 },
  /** The middleware stack may cost at most this share of requests/s. */
  middlewareCost: 0.15,
} as const;

export interface ReportRow {
  metric: string;
  p50: number | null;
  p99: number | null;
  reqPerSec: number | null;
  target: string;
  /** null when the row has no target. */
  meets: boolean | null;
  detail?: Record<string, unknown>;
}

export const searchRow = (metric: string, latency: Latency, detail?: Record<string, unknown>): ReportRow => ({
  metric,
  p50: latency.p50,
  p99: latency.p99,
  reqPerSec: null,
  target: `p50 ≤ ${TARGETS.search.p50}, p99 ≤ ${TARGETS.search.p99}`,
  meets: latency.p50 <= TARGETS.search.p50 && latency.p99 <= TARGETS.search.p99,
  detail: { ...detail, n: latency.n, mean: latency.mean, max: latency.max },
});

export const showRow = (metric: string, latency: Latency, detail?: Record<string, unknown>): ReportRow => ({
  metric,
  p50: latency.p50,
  p99: latency.p99,
  reqPerSec: null,
  target: `p50 ≤ ${TARGETS.showDetail.p50}`,
  meets: latency.p50 <= TARGETS.showDetail.p50,
  detail: { ...detail, n: latency.n, mean: latency.mean, max: latency.max },
});

export const discoverRow = (metric: string, latency: Latency, detail?: Record<string, unknown>): ReportRow => ({
  metric,
  p50: latency.p50,
  p99: latency.p99,
  reqPerSec: null,
  target: `p50 ≤ ${TARGETS.discover.p50}`,
  meets: latency.p50 <= TARGETS.discover.p50,
  detail: { ...detail, n: latency.n, mean: latency.mean, max: latency.max },
});

export const throughputRow = (metric: string, t: Throughput): ReportRow => ({
  metric,
  p50: t.p50,
  p99: t.p99,
  reqPerSec: t.requestsPerSecond,
  target: '—',
  meets: null,
  detail: { connections: t.connections, seconds: t.seconds, requests: t.requests },
});

export const plainRow = (metric: string, latency: Latency, detail?: Record<string, unknown>): ReportRow => ({
  metric,
  p50: latency.p50,
  p99: latency.p99,
  reqPerSec: null,
  target: '—',
  meets: null,
  detail: { ...detail, n: latency.n, mean: latency.mean, max: latency.max },
});

const ms = (value: number | null) => (value === null ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));

export function formatTable(rows: ReportRow[]): string {
  const header = ['metric', 'p50 ms', 'p99 ms', 'req/s', 'target (ms)', 'meets'];
  const cells = rows.map((r) => [
    r.metric,
    ms(r.p50),
    ms(r.p99),
    r.reqPerSec === null ? '—' : r.reqPerSec.toFixed(0),
    r.target,
    r.meets === null ? '—' : r.meets ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === 0 || i >= 4 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i >= 4 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

export function writeJson(dialect: string, report: unknown): string {
  const dir = fileURLToPath(new URL('../../test-output', import.meta.url));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-api-${dialect}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
