/** The demo's call table: one module every agent imports. */
import { defineCalls, here } from '../index.js';

const calls = defineCalls({
  add: (a: number, b: number) => a + b,
  greet: (name: string) => `hello ${name}, from agent ${here().id}`,
  /** Nested: this agent calls `to`, which runs `add` and returns. */
  addVia: (to: number, a: number, b: number): number => here<typeof calls>().callSync(to, 'add', a, b),
  /** A chain that bounces between agents `n` times (A→B→A→...). */
  bounce: (n: number, other: number): number => {
    const me = here<typeof calls>();
    return n === 0 ? me.id : me.callSync(other, 'bounce', n - 1, me.id);
  },
  stats: (xs: number[]) => ({ n: xs.length, sum: xs.reduce((s, x) => s + x, 0) }),
  fail: (why: string) => {
    throw new RangeError(why);
  },
  sleep: async (ms: number) => {
    await new Promise((r) => setTimeout(r, ms));
    return ms;
  },
  note: (msg: string) => {
    notes.push(msg);
  },
  notes: () => notes.slice(),
});
const notes: string[] = [];
export default calls;
