import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostCommand } from '../server/host-protocol.ts';
import { createMemoryLogger } from '../server/logger.ts';
import { createServerHost, type ServerStatus } from './server-host.ts';

/** A host child that does what each test tells it to. */
class FakeChild extends EventEmitter {
  sent: HostCommand[] = [];
  killed: string[] = [];
  constructor(readonly env: Record<string, string>) {
    super();
  }
  send(command: HostCommand) {
    this.sent.push(command);
    if (command.type === 'shutdown') queueMicrotask(() => this.emit('exit', 0, null));
    return true;
  }
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    this.killed.push(signal);
    queueMicrotask(() => this.emit('exit', null, signal));
    return true;
  }
  listen(port = Number(this.env.PORT)) {
    this.emit('message', { type: 'listening', url: `http://127.0.0.1:${port}`, port });
  }
}

function setup(options: { healthy?: () => boolean } = {}) {
  const children: FakeChild[] = [];
  const statuses: ServerStatus[] = [];
  const log = createMemoryLogger();
  const fetch = vi.fn(async () => {
    const ok = options.healthy?.() ?? true;
    return { ok, status: ok ? 200 : 503 };
  });
  const host = createServerHost({
    fork: (env) => {
      const child = new FakeChild(env);
      children.push(child);
      return child;
    },
    fetch,
    log,
    port: 8080,
    onStatus: (status) => statuses.push(status),
    backoff: { initialMs: 1000, maxMs: 8000 },
    health: { intervalMs: 10_000, timeoutMs: 1000, failuresBeforeRestart: 2 },
  });
  const last = () => statuses.at(-1);
  const latest = () => children.at(-1) as FakeChild;
  return { host, children, statuses, last, latest, log, fetch };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('server host', () => {
  it('starts on the configured port and reports the URL', () => {
    const { host, latest, last } = setup();
    host.start();
    expect(last()).toEqual({ state: 'starting', port: 8080 });
    expect(latest().env).toEqual({ PORT: '8080' });
    latest().listen();
    expect(last()).toEqual({ state: 'running', url: 'http://127.0.0.1:8080', port: 8080, requestedPort: 8080 });
  });

  it('tries the next ports when the configured one is taken and says which it got', async () => {
    const { host, children, latest, last, log } = setup();
    host.start();
    for (let i = 0; i < 2; i++) {
      latest().emit('message', { type: 'listen-failed', code: 'EADDRINUSE', message: 'taken' });
      latest().emit('exit', 1, null);
    }
    expect(children.map((c) => c.env.PORT)).toEqual(['8080', '8081', '8082']);
    latest().listen();
    expect(last()).toMatchObject({ state: 'running', port: 8082, requestedPort: 8080 });
    expect(log.lines.join('\n')).toContain('port 8080 is taken, trying 8081');
  });

  it('restarts a server that dies, with exponential backoff', async () => {
    const { host, children, latest, last } = setup();
    host.start();
    latest().listen();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      latest().emit('exit', 1, null);
      const status = last();
      if (status?.state !== 'restarting') throw new Error(`expected restarting, got ${status?.state}`);
      delays.push(status.inMs);
      const before = children.length;
      await vi.advanceTimersByTimeAsync(status.inMs - 1);
      expect(children.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(children.length).toBe(before + 1);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    // The restarted server keeps the port it had, so the URL does not change.
    expect(latest().env.PORT).toBe('8080');
  });

  it('resets the backoff once a restarted server answers its health check', async () => {
    const { host, latest, last } = setup();
    host.start();
    latest().listen();
    latest().emit('exit', 1, null);
    await vi.advanceTimersByTimeAsync(1000);
    latest().emit('exit', 1, null);
    expect(last()).toMatchObject({ state: 'restarting', inMs: 2000 });
    await vi.advanceTimersByTimeAsync(2000);
    latest().listen();
    await vi.advanceTimersByTimeAsync(10_000);
    latest().emit('exit', 1, null);
    expect(last()).toMatchObject({ state: 'restarting', inMs: 1000 });
  });

  it('kills and restarts a server that fails its health checks', async () => {
    let healthy = true;
    const { host, children, latest, last, fetch } = setup({ healthy: () => healthy });
    host.start();
    latest().listen();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:8080/healthz', expect.anything());
    healthy = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children[0]?.killed).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children[0]?.killed).toEqual(['SIGKILL']);
    expect(last()).toMatchObject({ state: 'restarting' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(children).toHaveLength(2);
  });

  it('stops gracefully and never restarts after stop()', async () => {
    const { host, children, latest, last } = setup();
    host.start();
    latest().listen();
    await host.stop();
    expect(children[0]?.sent).toEqual([{ type: 'shutdown' }]);
    expect(last()).toEqual({ state: 'stopped' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(children).toHaveLength(1);
  });

  it('kills a server that does not stop in time', async () => {
    const { host, latest } = setup();
    host.start();
    latest().listen();
    const stubborn = latest();
    stubborn.send = (command) => {
      stubborn.sent.push(command);
      return true;
    };
    const stopped = host.stop();
    await vi.advanceTimersByTimeAsync(15_000);
    await stopped;
    expect(stubborn.killed).toEqual(['SIGKILL']);
  });

  it('asks the running server for a sign-in URL and gives up when it does not answer', async () => {
    const { host, latest } = setup();
    host.start();
    expect(await host.requestSignInUrl()).toBeNull();
    latest().listen();
    const pending = host.requestSignInUrl();
    const request = latest().sent.at(-1);
    expect(request).toMatchObject({ type: 'sign-in-url-request' });
    latest().emit('message', {
      type: 'sign-in-url',
      url: 'http://127.0.0.1:8080/auth/sign-in?token=abc',
      requestId: (request as { requestId: number }).requestId,
    });
    expect(await pending).toBe('http://127.0.0.1:8080/auth/sign-in?token=abc');
    const unanswered = host.requestSignInUrl(3000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(await unanswered).toBeNull();
  });
});
