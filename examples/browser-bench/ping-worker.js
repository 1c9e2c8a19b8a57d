// The plain postMessage caller on a worker: given a port (the other end echoes, on the page or on an
// echo worker), then asked { n }: `n` round trips through it, each awaited; answers the milliseconds
// (or { error }).
import { asker } from './asker.js';

let ask;
onmessage = async ({ data, ports }) => {
  if (ports.length > 0) {
    ask = asker(ports[0]);
    return;
  }
  try {
    const t0 = performance.now();
    for (let i = 0; i < data.n; i++) if ((await ask(i)) !== i) throw new Error(`echo of ${i} came back wrong`);
    postMessage(performance.now() - t0);
  } catch (e) {
    postMessage({ error: String(e) });
  }
};
