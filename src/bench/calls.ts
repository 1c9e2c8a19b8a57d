/** The benchmark's call table: one module every agent imports. */
import { defineCalls, here } from '../index.js';

const calls = defineCalls({
  add: (a: number, b: number) => a + b,
  /** The same, as a served function that returns a promise (smpcall/sync workers, async table entries). */
  addAsync: async (a: number, b: number) => a + b,
  noop: () => {},
  echo: (x: unknown) => x,
  /** The caller is a worker: `n` callSync round trips from this agent to `target`; elapsed ms. */
  loopSync: (target: number, n: number): number => {
    const me = here<typeof calls>();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) me.callSync(target, 'add', i, 1);
    return performance.now() - t0;
  },
  /** The same, each round trip timed alone: microseconds per call. */
  samplesSync: (target: number, n: number): Float64Array => {
    const me = here<typeof calls>();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      me.callSync(target, 'add', i, 1);
      out[i] = (performance.now() - t0) * 1000;
    }
    return out;
  },
});
export default calls;
