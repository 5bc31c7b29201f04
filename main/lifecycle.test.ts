import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../server/logger.ts';
import { createLifecycle, type QuitStep } from './lifecycle.ts';

function fakeApp({ locked = true } = {}) {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    requestSingleInstanceLock: vi.fn(() => locked),
    quit: vi.fn(() => {
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      emitter.emit('before-quit', event);
    }),
    exit: vi.fn(),
    dock: { hide: vi.fn() },
  });
}

function setup(steps: QuitStep[] = [], options: { locked?: boolean } = {}) {
  const app = fakeApp(options);
  const signals = new EventEmitter();
  const openDashboard = vi.fn();
  const log = createMemoryLogger();
  const timers: Array<() => void> = [];
  const lifecycle = createLifecycle({
    app,
    signals,
    log,
    openDashboard,
    quitSteps: steps,
    setTimeout: (callback) => timers.push(callback),
  });
  return { app, signals, openDashboard, lifecycle, log, timers };
}

/** Steps that record when they start and end, so the test sees the order. */
function recordingSteps(names: string[]) {
  const order: string[] = [];
  const steps = names.map((name) => ({
    name,
    async run() {
      order.push(`${name}:start`);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`${name}:end`);
    },
  }));
  return { order, steps };
}

describe('lifecycle', () => {
  it('a second launch opens the dashboard of the first', () => {
    const { app, lifecycle, openDashboard } = setup();
    expect(lifecycle.claimSingleInstance()).toBe(true);
    app.emit('second-instance');
    expect(openDashboard).toHaveBeenCalledOnce();
  });

  it('the second instance quits at once', () => {
    const { app, lifecycle } = setup([], { locked: false });
    expect(lifecycle.claimSingleInstance()).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
  });

  it('hides the dock icon', () => {
    const { app, lifecycle } = setup();
    lifecycle.setup();
    expect(app.dock.hide).toHaveBeenCalledOnce();
  });

  it('quits in order, each step finished before the next, and exits last', async () => {
    const { order, steps } = recordingSteps(['stop the tray', 'stop the server', 'close windows']);
    const { app, lifecycle } = setup(steps);
    app.exit.mockImplementation(() => order.push('exit'));
    lifecycle.setup();
    app.quit();
    await lifecycle.quit();
    expect(order).toEqual([
      'stop the tray:start',
      'stop the tray:end',
      'stop the server:start',
      'stop the server:end',
      'close windows:start',
      'close windows:end',
      'exit',
    ]);
    expect(app.exit).toHaveBeenCalledWith(0);
  });

  it('holds Electron’s own quit until the sequence is done, and runs it once', async () => {
    const run = vi.fn(async () => {});
    const { app, lifecycle } = setup([{ name: 'stop the server', run }]);
    lifecycle.setup();
    const event = { preventDefault: vi.fn() };
    app.emit('before-quit', event);
    app.emit('before-quit', { preventDefault: vi.fn() });
    await lifecycle.quit();
    expect(event.preventDefault).toHaveBeenCalled();
    expect(run).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledOnce();
  });

  it('SIGINT and SIGTERM quit the same way; SIGHUP is ignored', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const run = vi.fn();
      const { signals, lifecycle, app } = setup([{ name: 'stop the server', run }]);
      lifecycle.setup();
      signals.emit('SIGHUP');
      expect(lifecycle.quitting).toBe(false);
      signals.emit(signal);
      await lifecycle.quit();
      expect(run).toHaveBeenCalledOnce();
      expect(app.exit).toHaveBeenCalledWith(0);
    }
  });

  it('a failing step does not stop the others, and the exit code says so', async () => {
    const later = vi.fn();
    const { lifecycle, app, log } = setup([
      {
        name: 'stop the server',
        run: () => {
          throw new Error('boom');
        },
      },
      { name: 'close windows', run: later },
    ]);
    await lifecycle.quit();
    expect(later).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(log.lines.join('\n')).toContain('quit: stop the server failed');
  });

  it('exits anyway when a step hangs past the deadline', () => {
    const { lifecycle, app, timers } = setup([{ name: 'stop the server', run: () => new Promise(() => {}) }]);
    void lifecycle.quit();
    expect(app.exit).not.toHaveBeenCalled();
    timers[0]?.();
    expect(app.exit).toHaveBeenCalledWith(1);
  });
});
