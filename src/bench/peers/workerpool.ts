/** workerpool: a worker pool over postMessage (one worker thread). */
import { fileURLToPath } from 'node:url';
import { importPeer, workerUrl, type Peer } from './peer.js';

interface Pool {
  exec(name: string, args: unknown[]): Promise<number>;
  terminate(): Promise<void>;
}

export async function startWorkerpool(): Promise<Peer> {
  const wp = (await importPeer<{ default: { pool(script: string, o: object): Pool } }>('workerpool')).default;
  const pool = wp.pool(fileURLToPath(workerUrl('workerpool')), { minWorkers: 1, maxWorkers: 1, workerType: 'thread' });
  await pool.exec('add', [0, 0]);
  return { threads: 1, add: (a, b) => pool.exec('add', [a, b]), close: () => pool.terminate() };
}
