// coincident's worker: it exposes add (the page awaits `proxy.add(i, 1)`) and runs batches of
// synchronous calls to the page's own add (`proxy.add(i, 1)` here blocks until the page answered).
import coincident from '../../node_modules/coincident/dist/worker.js';

const { proxy, sync } = await coincident();

proxy.add = (a, b) => a + b;

/** `n` synchronous calls of the page's add(i, 1); the batch's milliseconds. */
proxy.syncBatch = (n) => {
  if (!sync) throw new Error('coincident cannot call the page synchronously here (no SharedArrayBuffer)');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (proxy.add(i, 1) !== i + 1) throw new Error(`add(${i}, 1) came back wrong`);
  return performance.now() - t0;
};
