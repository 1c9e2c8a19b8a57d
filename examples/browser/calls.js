// The call table of the browser demo. Every agent imports it: the page (agent 0) and each Web Worker.
// In a browser there is no package resolution in workers, so it imports the library by URL.
import { defineCalls, here } from '../../dist/index.js';

let ticks = 0;

const calls = defineCalls({
  add: (a, b) => a + b,
  whoami: () => here().id,
  greet: (name) => `hello ${name} from agent ${here().id}`,
  tick: () => {
    ticks++;
  },
  ticks: () => ticks,
  /** Runs on a worker: keep the thread busy for `ms`, then count a tick (a slow fire-and-forget target). */
  slowTick: (ms) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
    ticks++;
  },
  /** Runs on a worker: ask the page (agent 0) something, blocking. A worker may block; the page may not. */
  askPage: (question) => here().callSync(0, 'answer', question),
  answer: (question) => `agent ${here().id} (the page) answers "${question}"`,
  /** Runs on a worker: n blocking calls to agent `to` (the page, or another worker); their milliseconds. */
  timeSync: (to, n) => {
    const me = here();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (me.callSync(to, 'add', i, 1) !== i + 1) throw new Error(`add(${i}, 1) came back wrong`);
    return performance.now() - t0;
  },
  /** End this worker in the middle of the call: its caller gets ERR_SMPCALL_AGENT_GONE. */
  crash: () => {
    // close() ends the worker once the current task is over; the promise never settles.
    globalThis.close();
    return new Promise(() => {});
  },
});
export default calls;
