/** tinypool: a small worker pool over postMessage (one thread). */
import { importPeer, workerUrl, type Peer } from './peer.js';

interface Pool {
  run(task: unknown): Promise<number>;
  destroy(): Promise<void>;
}
type PoolClass = new (o: object) => Pool;

export async function startTinypool(): Promise<Peer> {
  const mod = await importPeer<{ Tinypool?: PoolClass; default?: PoolClass }>('tinypool');
  const Tinypool = (mod.Tinypool ?? mod.default)!;
  const pool = new Tinypool({ filename: workerUrl('pool-task').href, minThreads: 1, maxThreads: 1, idleTimeout: 60_000 });
  await pool.run({ a: 0, b: 0 });
  return { threads: 1, add: (a, b) => pool.run({ a, b }), close: () => pool.destroy() };
}
