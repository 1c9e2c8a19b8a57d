/** synckit worker: format JavaScript with prettier. */
import { importPeer } from '../peers/peer.js';

const { runAsWorker } = await importPeer<{ runAsWorker(fn: (code: string) => Promise<string>): void }>('synckit');
const prettier = await importPeer<{ format(code: string, o: object): Promise<string> }>('prettier');
runAsWorker((code) => prettier.format(code, { parser: 'babel' }));
