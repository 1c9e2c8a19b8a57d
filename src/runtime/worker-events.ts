/**
 * The part of a `SpawnedWorker` every spawn adapter shares: `ready` settled by the entry's first
 * message, an exit reported once (to listeners added before or after it), errors and messages passed
 * on. An adapter feeds it what its runtime reports and adds `send` and `terminate`.
 */
import type { EntryMessage } from './spawn.js';

export class WorkerEvents {
  /** Resolves when the agent in the worker is serving; rejects if it failed to start or exited first. */
  readonly ready: Promise<void>;
  /** Resolves once the exit has been reported. */
  readonly exited: Promise<void>;
  /** The exit code, once the thread has exited. */
  code: number | undefined;
  private readonly exitFns: ((code: number) => void)[] = [];
  private readonly errorFns: ((err: unknown) => void)[] = [];
  private readonly messageFns: ((m: EntryMessage) => void)[] = [];
  private settleReady!: (err?: Error) => void;
  private markExited!: () => void;

  constructor(private readonly id: number) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    this.ready.catch(() => {});
    this.exited = new Promise<void>((r) => (this.markExited = r));
  }

  /** A message from the worker's entry: 'ready' and 'failed' settle `ready`, the rest go to listeners. */
  message(m: EntryMessage): void {
    if (m.type === 'ready') this.settleReady();
    else if (m.type === 'failed') {
      const err = new Error(m.message) as Error & { code?: string };
      if (m.stack) err.stack = m.stack;
      if (m.code) err.code = m.code;
      this.settleReady(err);
    } else for (const fn of this.messageFns) fn(m);
  }

  /** The worker could not start at all (its entry never ran). */
  failed(err: Error): void {
    this.settleReady(err);
  }

  error(err: unknown): void {
    for (const fn of this.errorFns) fn(err);
  }

  /** The thread exited; only the first report counts. */
  exit(code: number): void {
    if (this.code !== undefined) return;
    this.code = code;
    this.settleReady(Object.assign(new Error(`worker ${this.id} exited with code ${code} before it was ready`), { exitedEarly: true }));
    for (const fn of this.exitFns) fn(code);
    this.markExited();
  }

  onExit(fn: (code: number) => void): void {
    if (this.code !== undefined) fn(this.code);
    else this.exitFns.push(fn);
  }

  onError(fn: (err: unknown) => void): void {
    this.errorFns.push(fn);
  }

  onMessage(fn: (m: EntryMessage) => void): void {
    this.messageFns.push(fn);
  }
}
