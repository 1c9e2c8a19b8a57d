/**
 * The Web Worker spawn adapter (browsers), driven here with stand-in workers: a worker whose start
 * fails must fail its start first and report its exit only in a later task. Reported at once, the
 * supervisor's restart ran inside the call that made the worker, before the failure was seen, and with
 * `restart: true` a start that failed the same way each time made worker after worker in one call
 * stack (a hostile run: 2,190 workers in Chromium, 6,580 in Firefox).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnWebWorkers } from '#internal/runtime/browser.js';
import type { WorkerInit } from '#internal/runtime/spawn.js';

type Listener = (e: Record<string, unknown>) => void;

/** A stand-in Web Worker: `failPost` makes postMessage throw as a DataCloneError would; `fire` raises an event. */
function fakeWorker(failPost: boolean) {
  const listeners = new Map<string, Listener[]>();
  return {
    terminated: false,
    postMessage() {
      if (failPost) throw new Error('DataCloneError: the start cannot be cloned');
    },
    terminate() {
      this.terminated = true;
    },
    addEventListener(type: string, fn: Listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), fn]);
    },
    fire(type: string, e: Record<string, unknown>) {
      for (const fn of listeners.get(type) ?? []) fn(e);
    },
  };
}

const init = { buffer: new SharedArrayBuffer(64), id: 1, calls: '', spinRounds: 0, spinUs: 0, stallMs: 1000, slotWaitMs: 1000, table: [] } as WorkerInit;
const entry = new URL('file:///nowhere/web-entry.js');

async function failsThenExits(worker: ReturnType<typeof fakeWorker>, make: () => { onExit(fn: (c: number) => void): void; ready: Promise<void> }): Promise<void> {
  const spawned = make();
  let exited = false;
  spawned.onExit(() => (exited = true));
  assert.equal(exited, false, 'the exit was reported in the call that made the worker');
  let failure: (Error & { exitedEarly?: boolean }) | undefined;
  await spawned.ready.catch((e: Error) => (failure = e));
  assert.ok(failure, 'its start failed');
  assert.notEqual(failure.exitedEarly, true, 'the start failed for its own reason, before any exit');
  assert.equal(exited, false, 'the failure was seen before the exit');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(exited, true, 'the exit is reported');
  assert.equal(worker.terminated, true, 'the useless worker was ended');
}

test('a Web Worker whose start cannot be posted fails its start first, and its exit comes in a later task', async () => {
  const worker = fakeWorker(true);
  const group = spawnWebWorkers(entry, [], () => worker);
  await failsThenExits(worker, () => group.respawn(init));
});

test('a Web Worker whose module fails to load fails its start first, and its exit comes in a later task', async () => {
  const worker = fakeWorker(false);
  const group = spawnWebWorkers(entry, [], () => worker);
  await failsThenExits(worker, () => {
    const spawned = group.respawn(init);
    worker.fire('error', { message: 'SyntaxError: bad module', preventDefault() {} });
    return spawned;
  });
});

// The second hostile run, in browsers: with start()'s worker option, a timer that threw just after the
// worker's module called serveCalls() failed start() as if the module had not loaded. A Web Worker
// lives through an uncaught error; once its module has said it loaded, such an error is only reported.
test('an uncaught error in a Web Worker whose module has loaded is reported, and its start goes on', async () => {
  const worker = fakeWorker(false);
  const group = spawnWebWorkers(entry, [], () => worker);
  const spawned = group.respawn(init);
  const errors: unknown[] = [];
  spawned.onError((e) => errors.push(e));
  let settled = false;
  spawned.ready.then(
    () => (settled = true),
    () => (settled = true),
  );
  worker.fire('message', { data: { type: 'loaded' } });
  worker.fire('error', { message: 'Error: a timer threw', error: new Error('a timer threw'), preventDefault() {} });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(settled, false, 'its start neither failed nor ended');
  assert.equal(worker.terminated, false);
  assert.equal(errors.length, 1);
  worker.fire('message', { data: { type: 'ready' } });
  await spawned.ready;
});
