/**
 * Runs the server in a child process (server/host.child.ts) and keeps it alive: when the
 * configured port is taken it tries the next ones and says which it got; a /healthz check
 * notices a server that hangs; a server that exits or stops answering is restarted with
 * exponential backoff. fork, fetch and the timers are injected, so all of it runs under
 * plain Node with fakes.
 */
import { type HostCommand, type HostMessage, parseHostMessage } from '../server/host-protocol.ts';
import type { Logger } from '../server/logger.ts';

/** The part of Node's ChildProcess the host uses. */
export interface HostChild {
  send(message: HostCommand): boolean;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export type ServerStatus =
  | { state: 'starting'; port: number }
  | { state: 'running'; url: string; port: number; requestedPort: number }
  | { state: 'restarting'; reason: string; inMs: number; attempt: number }
  | { state: 'stopped' };

export interface ServerHostDeps {
  /** Starts host.child with these variables added to the environment. */
  fork(env: Record<string, string>): HostChild;
  fetch(url: string, init: { signal: AbortSignal }): Promise<{ ok: boolean; status: number }>;
  log: Logger;
  port: number;
  onStatus(status: ServerStatus): void;
  /** Everything else the child says (jobs, job events). */
  onMessage?(message: HostMessage): void;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** How many ports from the configured one to try: 8080, 8081, … */
  portAttempts?: number;
  backoff?: { initialMs: number; maxMs: number };
  health?: { intervalMs: number; timeoutMs: number; failuresBeforeRestart: number };
  /** A first start may import the bundled sample, so give it time. */
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export type ServerHost = ReturnType<typeof createServerHost>;

export function createServerHost(deps: ServerHostDeps) {
  const setTimer = deps.setTimeout ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const clearTimer = deps.clearTimeout ?? ((handle: unknown) => clearTimeout(handle as NodeJS.Timeout));
  const portAttempts = deps.portAttempts ?? 10;
  const backoff = deps.backoff ?? { initialMs: 1000, maxMs: 60_000 };
  const health = deps.health ?? { intervalMs: 15_000, timeoutMs: 5_000, failuresBeforeRestart: 3 };
  const readyTimeoutMs = deps.readyTimeoutMs ?? 180_000;
  const stopTimeoutMs = deps.stopTimeoutMs ?? 15_000;

  let child: HostChild | null = null;
  let port = deps.port;
  let url: string | null = null;
  let restarts = 0;
  let healthFailures = 0;
  let stopping = false;
  let timer: unknown = null;
  let nextRequestId = 1;
  const signInRequests = new Map<number, (url: string | null) => void>();

  const schedule = (ms: number, callback: () => void) => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      callback();
    }, ms);
  };
  const cancelTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };

  function spawn(attemptPort: number) {
    port = attemptPort;
    url = null;
    healthFailures = 0;
    deps.onStatus({ state: 'starting', port });
    const current = deps.fork({ PORT: String(port) });
    child = current;
    let next: (() => void) | null = null;
    current.on('message', (raw) => {
      const message = parseHostMessage(raw);
      if (!message || child !== current) return;
      if (message.type === 'listening') {
        url = message.url;
        deps.log.info(`server listening on ${url}${port !== deps.port ? ` (port ${deps.port} was taken)` : ''}`);
        deps.onStatus({ state: 'running', url, port: message.port, requestedPort: deps.port });
        schedule(health.intervalMs, checkHealth);
      } else if (message.type === 'listen-failed') {
        next = afterListenFailure(message.code, message.message);
      } else if (message.type === 'sign-in-url') {
        signInRequests.get(message.requestId)?.(message.url);
        signInRequests.delete(message.requestId);
      } else {
        if (message.type === 'log') deps.log[message.level](message.message);
        deps.onMessage?.(message);
      }
    });
    current.on('exit', (code, signal) => {
      if (child !== current) return;
      child = null;
      url = null;
      cancelTimer();
      for (const resolve of signInRequests.values()) resolve(null);
      signInRequests.clear();
      if (stopping) return;
      if (next) return next();
      restartLater(`the server exited (${signal ?? `code ${code}`})`);
    });
    // A child that never says where it listens is as good as dead.
    schedule(readyTimeoutMs, () => {
      if (child === current && url === null) {
        deps.log.error('server did not start in time; restarting it');
        current.kill('SIGKILL');
      }
    });
  }

  function afterListenFailure(code: string, message: string): () => void {
    const nextPort = port + 1;
    if (code === 'EADDRINUSE' && port !== 0 && nextPort < deps.port + portAttempts && nextPort <= 65535) {
      deps.log.warn(`port ${port} is taken, trying ${nextPort}`);
      return () => spawn(nextPort);
    }
    if (code === 'EADDRINUSE') {
      const reason = `ports ${deps.port}–${port} are all taken`;
      deps.log.error(reason);
      return () => restartLater(reason, deps.port);
    }
    deps.log.error(`server could not start: ${message}`);
    return () => restartLater(message);
  }

  function restartLater(reason: string, fromPort = port) {
    const inMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** restarts);
    restarts += 1;
    deps.log.warn(`${reason}; restarting in ${Math.round(inMs / 1000)} s`);
    deps.onStatus({ state: 'restarting', reason, inMs, attempt: restarts });
    schedule(inMs, () => spawn(fromPort));
  }

  async function checkHealth() {
    const current = child;
    const target = url;
    if (!current || !target) return;
    let healthy = false;
    try {
      const response = await deps.fetch(`${target}/healthz`, { signal: AbortSignal.timeout(health.timeoutMs) });
      healthy = response.ok;
    } catch {
      healthy = false;
    }
    if (child !== current || stopping) return;
    if (healthy) {
      // Only a server that has answered is trusted enough to reset the backoff.
      restarts = 0;
      healthFailures = 0;
    } else if (++healthFailures >= health.failuresBeforeRestart) {
      deps.log.error(`server failed ${healthFailures} health checks; restarting it`);
      current.kill('SIGKILL');
      return;
    }
    schedule(health.intervalMs, checkHealth);
  }

  return {
    start() {
      stopping = false;
      spawn(deps.port);
    },
    /** Sends a command to the running server; false when there is none to receive it. */
    send(command: HostCommand): boolean {
      return child !== null && url !== null && child.send(command);
    },
    /** A one-time sign-in URL from the server, or null when it cannot give one in time. */
    requestSignInUrl(timeoutMs = 3000): Promise<string | null> {
      const requestId = nextRequestId++;
      return new Promise((resolve) => {
        if (!this.send({ type: 'sign-in-url-request', requestId })) return resolve(null);
        const giveUp = setTimer(() => {
          signInRequests.delete(requestId);
          resolve(null);
        }, timeoutMs);
        signInRequests.set(requestId, (answer) => {
          clearTimer(giveUp);
          resolve(answer);
        });
      });
    },
    /** Stops restarting, asks the server to shut down gracefully, kills it if it does not. */
    stop(): Promise<void> {
      stopping = true;
      cancelTimer();
      const current = child;
      if (!current) {
        deps.onStatus({ state: 'stopped' });
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const force = setTimer(() => current.kill('SIGKILL'), stopTimeoutMs);
        current.on('exit', () => {
          clearTimer(force);
          deps.onStatus({ state: 'stopped' });
          resolve();
        });
        if (!current.send({ type: 'shutdown' })) current.kill('SIGTERM');
      });
    },
  };
}
