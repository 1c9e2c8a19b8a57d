/** smpcall/sync worker (synckit-compatible runAsWorker): format JavaScript with prettier. */
import { importPeer } from '../peers/peer.js';
import { smpcallSyncUrl } from '../prettier-sync.js';

const { runAsWorker } = (await import(smpcallSyncUrl.href)) as { runAsWorker(fn: (code: string) => Promise<string>): void };
const prettier = await importPeer<{ format(code: string, o: object): Promise<string> }>('prettier');
runAsWorker((code) => prettier.format(code, { parser: 'babel' }));
