/** piscina: a worker pool over postMessage. */
import type { Peer } from './peer.js';
import { startTaskPool } from './task-pool.js';

export const startPiscina = (): Promise<Peer> => startTaskPool('piscina', 'Piscina');
