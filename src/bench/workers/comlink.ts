/** comlink's worker side: add and echo, exposed over the worker's parentPort. */
import { parentPort } from 'node:worker_threads';
import { importPeer } from '../peers/peer.js';

const { expose } = await importPeer<{ expose(api: object, ep: unknown): void }>('comlink/dist/esm/comlink.mjs');
const nodeEndpoint = (await importPeer<{ default: (p: unknown) => unknown }>('comlink/dist/esm/node-adapter.mjs')).default;
expose({ add: (a: number, b: number) => a + b, echo: (x: unknown) => x }, nodeEndpoint(parentPort));
