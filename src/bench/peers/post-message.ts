/**
 * Plain postMessage, what comlink, piscina, tinypool, workerpool and synckit are built on: echo
 * workers, replies matched to requests in order (one FIFO of resolvers per worker).
 */
import { Worker } from 'node:worker_threads';
import { online, workerUrl, type Peer } from './peer.js';

export interface PostMessagePeer extends Peer {
  /** Round trip to worker `k`. */
  to(k: number, message: unknown): Promise<unknown>;
  /** One message to every worker, all replies awaited. */
  broadcast(): Promise<unknown>;
}

export async function startPostMessage(workers = 1): Promise<PostMessagePeer> {
  const threads = Array.from({ length: workers }, () => new Worker(workerUrl('echo')));
  const waiting = threads.map(() => [] as ((v: unknown) => void)[]);
  threads.forEach((w, k) => w.on('message', (m) => waiting[k]!.shift()!(m)));
  await Promise.all(threads.map(online));
  const to = (k: number, message: unknown): Promise<unknown> =>
    new Promise((resolve) => {
      waiting[k]!.push(resolve);
      threads[k]!.postMessage(message);
    });
  return {
    threads: workers,
    to,
    add: (a, b) => to(0, a + b - 1) as Promise<number>,
    broadcast: () => Promise.all(threads.map((_, k) => to(k, 0))),
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
