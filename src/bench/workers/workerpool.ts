/** workerpool's worker side: add. */
import { importPeer } from '../peers/peer.js';

const wp = await importPeer<{ default: { worker(fns: object): void } }>('workerpool');
wp.default.worker({ add: (a: number, b: number) => a + b });
