/**
 * How a Web Worker becomes an agent (browsers; see runtime/browser.ts). A Web Worker has no
 * workerData: the parent sends the init as the first message. Before booting, the worker takes a Web
 * Lock named by the parent and holds it for its whole life; the lock is released only when the thread
 * is gone, however it ended (terminate(), close(), a crash), which is how the parent learns of the exit:
 * Web Workers have no 'exit' event.
 *
 * Two modules use this: the library's own worker module (web-entry.ts, which imports the calls module
 * by URL) and an app's own worker module through `serveCalls` (web-worker.ts, for bundled pages).
 */
import { bootAgent, holdLifeLock, webLocks } from './boot.js';
import { HeldMessages } from './held-messages.js';
import type { CallTable } from '../table.js';
import type { EntryMessage, ParentMessage, WebWorkerStart } from '../runtime/spawn.js';

interface WorkerScope {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
  close(): void;
}

const scope = globalThis as unknown as WorkerScope;
const say = (m: EntryMessage): void => scope.postMessage(m);

/** The parent's messages after the init, held until the agent listens (held-messages.ts). */
const held = new HeldMessages<ParentMessage>();

/**
 * The parent's init message. Listened for from the moment the calling module is evaluated: an app's
 * worker module may await something before it calls `serveCalls`, and the init must not pass unheard.
 * The same listener keeps what comes after it (a buffer shared while this worker starts) for the agent.
 */
export function initMessage(): Promise<WebWorkerStart> {
  return new Promise((resolve) => {
    scope.addEventListener('message', (e) => {
      const m = e.data as WebWorkerStart | ParentMessage | null;
      if (m === null || typeof m !== 'object') return;
      if (m.type === 'init') resolve(m);
      else held.deliver(m);
    });
  });
}

/**
 * Say that this worker's module has run as far as serving: from here on an uncaught error is one the
 * agent lives through (a Web Worker keeps running), not a module that failed to load.
 */
export function sayLoaded(): void {
  say({ type: 'loaded' });
}

/** Take the life lock, then become the agent the init names, with `own` as the table if given. */
export async function serveWebWorker(start: WebWorkerStart, own?: CallTable): Promise<void> {
  if (start.lifeLock && webLocks()) {
    await holdLifeLock(start.lifeLock);
    say({ type: 'alive' });
  }
  // The lock is held already: bootAgent need not take it (init.lifeLock is not set for Web Workers).
  await bootAgent(
    start.init,
    {
      say,
      onMessage: (fn) => held.listen(fn),
      close() {
        say({ type: 'closing' });
        scope.close();
      },
    },
    own,
  );
}
