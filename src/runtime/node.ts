/** Spawn adapter for Node.js `worker_threads` (also used by Bun, which implements the same API). */
import { Worker } from 'node:worker_threads';
import type { EntryMessage, Spawn, SpawnedWorker } from './spawn.js';

export const spawnNodeWorker: Spawn = (entry, init) => {
  const worker = new Worker(entry, { workerData: init });
  const exitFns: ((code: number) => void)[] = [];
  const errorFns: ((err: unknown) => void)[] = [];
  const messageFns: ((m: EntryMessage) => void)[] = [];
  let exited = false;
  let exitCode = 0;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: EntryMessage) => {
      if (m.type === 'ready') resolve();
      else if (m.type !== 'failed') for (const fn of messageFns) fn(m);
      else {
        const e = new Error(m.message);
        if (m.stack) e.stack = m.stack;
        reject(e);
      }
    });
    worker.once('exit', (code) => reject(new Error(`worker ${init.id} exited with code ${code} before it was ready`)));
  });
  ready.catch(() => {});
  // An 'error' listener is required: without one, an uncaught error in a worker crashes the parent.
  worker.on('error', (err) => {
    for (const fn of errorFns) fn(err);
  });
  worker.on('exit', (code) => {
    exited = true;
    exitCode = code;
    for (const fn of exitFns) fn(code);
  });
  // Until it is ready the worker holds the process open (start() awaits it); after that the domain
  // decides when the process may exit, not the worker's mere existence.
  ready.then(() => worker.unref(), () => worker.unref());
  const handle: SpawnedWorker = {
    ready,
    onExit(fn) {
      if (exited) fn(exitCode);
      else exitFns.push(fn);
    },
    onError(fn) {
      errorFns.push(fn);
    },
    onMessage(fn) {
      messageFns.push(fn);
    },
    async terminate() {
      await worker.terminate();
    },
  };
  return handle;
};
