/** Test doubles for the job supervisor: a child process without a process. */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

/** A child process as the supervisor sees it: IPC messages, piped output, exit. */
export class FakeChild extends EventEmitter {
  pid: number | undefined;
  connected = true;
  stdout = new PassThrough();
  stderr = new PassThrough();
  sent: unknown[] = [];
  signals: string[] = [];
  constructor(
    pid: number | undefined,
    readonly dieOnKill: boolean,
  ) {
    super();
    this.pid = pid;
  }
  send(message: unknown) {
    this.sent.push(message);
    return true;
  }
  kill(signal = 'SIGTERM') {
    this.signals.push(signal);
    if (this.dieOnKill) setImmediate(() => this.exit(null, signal as NodeJS.Signals));
    return true;
  }
  message(message: unknown) {
    this.emit('message', message);
  }
  exit(code: number | null, signal: NodeJS.Signals | null = null) {
    this.connected = false;
    this.emit('exit', code, signal);
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('close', code, signal));
  }
}
