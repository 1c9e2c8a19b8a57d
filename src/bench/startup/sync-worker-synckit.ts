/** The start-up probe's synckit worker. */
import { importPeer } from '../peers/peer.js';

const { runAsWorker } = await importPeer<{ runAsWorker(fn: (a: number, b: number) => Promise<number>): void }>('synckit');
runAsWorker(async (a, b) => a + b);
