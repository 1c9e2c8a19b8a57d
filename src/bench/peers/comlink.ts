/** comlink: a proxy over postMessage (one worker). */
import { Worker } from 'node:worker_threads';
import { importPeer, online, workerUrl, type Peer } from './peer.js';

interface Api {
  add(a: number, b: number): Promise<number>;
}

export async function startComlink(): Promise<Peer> {
  const { wrap, releaseProxy } = await importPeer<{ wrap(ep: unknown): Api & Record<symbol, () => void>; releaseProxy: symbol }>('comlink/dist/esm/comlink.mjs');
  const nodeEndpoint = (await importPeer<{ default: (w: Worker) => unknown }>('comlink/dist/esm/node-adapter.mjs')).default;
  const worker = new Worker(workerUrl('comlink'));
  await online(worker);
  const api = wrap(nodeEndpoint(worker));
  return {
    threads: 1,
    add: (a, b) => api.add(a, b),
    async close() {
      api[releaseProxy]!();
      await worker.terminate();
    },
  };
}
