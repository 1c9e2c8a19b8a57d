/** tinypool: a small worker pool over postMessage. */
import type { Peer } from './peer.js';
import { startTaskPool } from './task-pool.js';

export const startTinypool = (): Promise<Peer> => startTaskPool('tinypool', 'Tinypool');
