// smpcall's call table, imported by every agent: the page (agent 0) and the two Web Workers.
import { defineCalls, here } from '../../dist/index.js';

export default defineCalls({
  add: (a, b) => a + b,
  /** Runs on a worker: `n` blocking calls of add(i, 1) to agent `to`; the batch's milliseconds. */
  syncBatch: (to, n) => {
    const me = here();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (me.callSync(to, 'add', i, 1) !== i + 1) throw new Error(`add(${i}, 1) came back wrong`);
    return performance.now() - t0;
  },
});
