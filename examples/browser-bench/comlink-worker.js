// comlink's worker: the page awaits `proxy.add(i, 1)`.
import { expose } from '../../node_modules/comlink/dist/esm/comlink.mjs';

expose({ add: (a, b) => a + b });
