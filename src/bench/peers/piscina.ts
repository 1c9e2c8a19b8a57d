/** piscina: a worker pool over postMessage (one thread, so a round trip is one worker's). */
import { importPeer, workerUrl, type Peer } from './peer.js';

interface Pool {
  run(task: unknown): Promise<number>;
  destroy(): Promise<void>;
}
type PoolClass = new (o: object) => Pool;

export async function startPiscina(): Promise<Peer> {
  const mod = await importPeer<{ Piscina?: PoolClass; default?: PoolClass }>('piscina');
  const Piscina = (mod.Piscina ?? mod.default)!;
  const pool = new Piscina({ filename: workerUrl('pool-task').href, minThreads: 1, maxThreads: 1, idleTimeout: 60_000 });
  await pool.run({ a: 0, b: 0 });
  return { threads: 1, add: (a, b) => pool.run({ a, b }), close: () => pool.destroy() };
}
