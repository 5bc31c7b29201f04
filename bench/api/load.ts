/**
 * Child-process entry (forked by measure.ts): runs one autocannon load and sends back its
 * result, so the load generator shares neither the event loop nor the RSS of the server.
 */
import { createRequire } from 'node:module';

export interface LoadRequest {
  url: string;
  connections: number;
  duration: number;
  paths: string[];
  /** Extra headers per path (e.g. If-None-Match for conditional requests). */
  headers?: Record<string, Record<string, string>>;
}

export interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
}

export interface AutocannonResult {
  requests: AutocannonHistogram;
  latency: AutocannonHistogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: {
    method: 'GET';
    setupRequest: (request: { path: string; headers?: Record<string, string> }) => { path: string };
  }[];
}) => Promise<AutocannonResult>;

if (process.send) {
  // autocannon is CommonJS without bundled types; this is the slice of its API used here.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  process.once('message', async (request: LoadRequest) => {
    // One rotation shared by all connections: the n-th request sent asks for paths[n], so the
    // connections are spread over the paths instead of all asking for the same one in step.
    let next = 0;
    const setupRequest = (r: { path: string; headers?: Record<string, string> }) => {
      r.path = request.paths[next++ % request.paths.length] as string;
      const extra = request.headers?.[r.path];
      if (extra) r.headers = { ...r.headers, ...extra };
      return r;
    };
    try {
      const result = await autocannon({
        url: request.url,
        connections: request.connections,
        duration: request.duration,
        timeout: 30,
        requests: [{ method: 'GET', setupRequest }],
      });
      const { requests, latency, errors, timeouts, non2xx, duration, statusCodeStats } = result;
      const reply = { result: { requests, latency, errors, timeouts, non2xx, duration, statusCodeStats } };
      process.send?.(reply, undefined, {}, () => process.exit(0));
    } catch (error) {
      process.send?.({ error: String((error as Error).stack ?? error) }, undefined, {}, () => process.exit(1));
    }
  });
}
