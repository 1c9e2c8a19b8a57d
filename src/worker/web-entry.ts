/**
 * The module every Web Worker agent starts with (browsers; see browser.ts). A Web Worker has no
 * workerData: the parent sends the init as the first message. Before booting, the worker takes a Web
 * Lock named by the parent and holds it for its whole life; the lock is released only when the thread
 * is gone, however it ended (terminate(), close(), a crash), which is how the parent learns of the exit:
 * Web Workers have no 'exit' event.
 */
import { bootAgent, holdLifeLock, webLocks } from './boot.js';
import type { EntryMessage, ParentMessage, WebWorkerStart } from '../runtime/spawn.js';

interface WorkerScope {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
  removeEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
  close(): void;
}

const scope = globalThis as unknown as WorkerScope;
const say = (m: EntryMessage): void => scope.postMessage(m);

const first = (e: { data: unknown }): void => {
  const start = e.data as WebWorkerStart;
  if (start?.type !== 'init') return;
  scope.removeEventListener('message', first);
  void (async () => {
    if (start.lifeLock && webLocks()) {
      await holdLifeLock(start.lifeLock);
      say({ type: 'alive' });
    }
    // The lock is held already: bootAgent need not take it (init.lifeLock is not set for Web Workers).
    await bootAgent(start.init, {
      say,
      onMessage: (fn) => scope.addEventListener('message', (m) => fn(m.data as ParentMessage)),
      close() {
        say({ type: 'closing' });
        scope.close();
      },
    });
  })();
};
scope.addEventListener('message', first);
