/** postMessage echo: a number comes back plus one (add(i, 1)), anything else as it came. */
import { parentPort } from 'node:worker_threads';

parentPort!.on('message', (m: unknown) => parentPort!.postMessage(typeof m === 'number' ? m + 1 : m));
