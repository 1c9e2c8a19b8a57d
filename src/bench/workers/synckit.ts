/** synckit's worker side: add. */
import { importPeer } from '../peers/peer.js';

const { runAsWorker } = await importPeer<{ runAsWorker(fn: (...a: never[]) => unknown): void }>('synckit');
runAsWorker((a: number, b: number) => a + b);
