// What the browser benchmark measures: the same trivial call, add(i, 1), made three ways, each by
// smpcall and by every peer that can make it, beside the hardware floor:
//   a. page → worker, awaited        b. worker → page, synchronous        c. worker → worker, synchronous
// startContenders() starts every thread once and returns the three groups; a group's contenders are
// batches for measureInterleaved (measure.js). Every call's result is checked.
import { start } from '../../dist/index.js';
import { wrap } from '../../node_modules/comlink/dist/esm/comlink.mjs';
import coincident from '../../node_modules/coincident/dist/main.js';
import { asker } from './asker.js';
import { startFloor } from './floor.js';

const here = (file) => new URL(file, import.meta.url);
const moduleWorker = (file) => new Worker(here(file), { type: 'module' });

/** `n` awaited calls `call(i)`, one after another, each checked against `want(i)`. */
const awaited =
  (call, want = (i) => i + 1) =>
  async (n) => {
    for (let i = 0; i < n; i++) {
      const got = await call(i);
      if (got !== want(i)) throw new Error(`call ${i} returned ${got}, not ${want(i)}`);
    }
  };

/** A batch timed where it runs: `run(n)` resolves to its milliseconds (or to { error }). */
const selfTimed = (run) => ({
  timedElsewhere: async (n) => {
    const ms = await run(n);
    if (typeof ms !== 'number') throw new Error(ms?.error ?? `a batch answered ${JSON.stringify(ms)}, not its milliseconds`);
    return ms;
  },
});

/** A ping worker (ping-worker.js) on one end of a new channel; `echo` gets the other end. */
function startPing(echo) {
  const { port1, port2 } = new MessageChannel();
  echo(port1);
  const worker = moduleWorker('./ping-worker.js');
  worker.postMessage(null, [port2]);
  const ask = asker(worker);
  return selfTimed((n) => ask({ n }));
}

const FLOOR = 'Atomics.store(w, 0, i); while (Atomics.load(w, 0) === i);';
const ECHOED = 'port.postMessage(i); await the echo';
const NO_SYNC = 'no synchronous call: every comlink call returns a promise';

export async function startContenders() {
  const domain = await start({ workers: 2, calls: here('./calls.js') });
  const comlink = wrap(moduleWorker('./comlink-worker.js'));
  const coin = new (coincident().Worker)(here('./coincident-worker.js'));
  // The page's own add, which coincident's worker calls synchronously (b).
  coin.proxy.add = (a, b) => a + b;
  const echoWorker = moduleWorker('./echo-worker.js');
  const echo = asker(echoWorker);
  const floor = startFloor();
  // postMessage from a worker, awaited: to the page (it echoes here), and to the echo worker.
  const pingPage = startPing((port) => (port.onmessage = (e) => port.postMessage(e.data)));
  const pingWorker = startPing((port) => echoWorker.postMessage(null, [port]));

  return [
    {
      id: 'a',
      title: 'page → worker, awaited',
      how: {
        smpcall: "await domain.call(1, 'add', i, 1)",
        coincident: 'await worker.proxy.add(i, 1)',
        comlink: 'await proxy.add(i, 1)',
        postMessage: 'worker.postMessage(i); await the echo',
        floor: FLOOR,
      },
      contenders: {
        smpcall: awaited((i) => domain.call(1, 'add', i, 1)),
        coincident: awaited((i) => coin.proxy.add(i, 1)),
        comlink: awaited((i) => comlink.add(i, 1)),
        postMessage: awaited(echo, (i) => i),
        floor,
      },
      na: {},
    },
    {
      id: 'b',
      title: 'worker → page, synchronous',
      how: {
        smpcall: "here().callSync(0, 'add', i, 1)",
        coincident: 'proxy.add(i, 1)',
        postMessage: ECHOED,
        floor: FLOOR,
      },
      contenders: {
        smpcall: selfTimed((n) => domain.call(1, 'syncBatch', 0, n)),
        coincident: selfTimed((n) => coin.proxy.syncBatch(n)),
        postMessage: pingPage,
        floor,
      },
      na: { comlink: NO_SYNC },
    },
    {
      id: 'c',
      title: 'worker → worker, synchronous',
      how: {
        smpcall: "here().callSync(2, 'add', i, 1)",
        postMessage: ECHOED,
        floor: FLOOR,
      },
      contenders: {
        smpcall: selfTimed((n) => domain.call(1, 'syncBatch', 2, n)),
        postMessage: pingWorker,
        floor,
      },
      na: { coincident: 'it connects the page with a worker, not two workers', comlink: NO_SYNC },
    },
  ];
}
