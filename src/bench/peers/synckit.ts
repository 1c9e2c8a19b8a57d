/**
 * synckit: synchronous calls to a worker (postMessage plus Atomics.wait). Its worker is started on
 * the first call and lives until the process exits: there is no close.
 */
import { importPeer, workerUrl } from './peer.js';

export async function startSynckit(): Promise<{ threads: number; addSync(a: number, b: number): number }> {
  const { createSyncFn } = await importPeer<{ createSyncFn(path: URL | string): (a: number, b: number) => number }>('synckit');
  const addSync = createSyncFn(workerUrl('synckit'));
  addSync(0, 0);
  return { threads: 1, addSync };
}
