/**
 * piscina and tinypool share one shape: `new Pool({ filename, minThreads, maxThreads })` and
 * `pool.run(task)`. One thread, so that a round trip is one worker's.
 */
import { importPeer, workerUrl, type Peer } from './peer.js';

interface Pool {
  run(task: unknown): Promise<number>;
  destroy(): Promise<void>;
}
type PoolClass = new (o: object) => Pool;

export async function startTaskPool(pkg: string, className: string): Promise<Peer> {
  const mod = await importPeer<Record<string, PoolClass | undefined>>(pkg);
  const Pool = (mod[className] ?? mod.default)!;
  const pool = new Pool({ filename: workerUrl('pool-task').href, minThreads: 1, maxThreads: 1, idleTimeout: 60_000 });
  await pool.run({ a: 0, b: 0 });
  return { threads: 1, add: (a, b) => pool.run({ a, b }), close: () => pool.destroy() };
}
