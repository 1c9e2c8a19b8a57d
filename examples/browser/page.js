// The demo page: starts a domain of two Web Workers and wires the buttons. It runs as it is (no build
// step: the library's ES modules by path) and bundled by Vite or esbuild (test/browser.test.ts runs all three).
import { start } from '../../dist/index.js';
import calls from './calls.js';
import { measureInterleaved, median, ratio } from '../browser-bench/measure.js';
import { startFloor } from '../browser-bench/floor.js';

const $ = (id) => document.getElementById(id);
const show = (id, text, isError = false) => {
  $(id).textContent = text;
  $(id).classList.toggle('err', isError);
};
const describe = (e) => `${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? String(e)}`;

const status = $('status');
// ?spin=N sets how long (µs) an idle or waiting agent polls before it parks (smpcall's default: 50).
const spin = Number(new URLSearchParams(location.search).get('spin') ?? 50);
// The app makes its workers itself, from its own module (agent.js): what a bundler needs to see.
const worker = () => new Worker(new URL('./agent.js', import.meta.url), { type: 'module' });
let domain;
try {
  domain = await start({ workers: 2, calls, worker, restart: true, spin });
} catch (e) {
  status.textContent = `could not start: ${describe(e)}`;
  status.className = 'bad';
  document.body.dataset.ready = 'failed';
  throw e;
}
const restarts = [];
domain.on('restart', (e) => restarts.push(e.agent));
status.textContent = `ready: ${domain.workers} workers, spin ${spin} µs; crossOriginIsolated = ${globalThis.crossOriginIsolated}; ${navigator.hardwareConcurrency} logical cores`;
status.className = 'ok';
document.body.dataset.ready = 'yes';

// Each button shows its result, or the error's code and message.
const button = (id, out, fn) =>
  $(id).addEventListener('click', async () => {
    show(out, '…');
    try {
      show(out, await fn());
    } catch (e) {
      show(out, describe(e), true);
    }
  });

button('btn-call', 'out-call', async () => String(await domain.call(1, 'add', Number($('add-a').value), Number($('add-b').value))));
button('btn-post', 'out-post', async () => {
  for (let i = 0; i < 10; i++) domain.post(2, 'tick');
  return `ticks counted on agent 2: ${await domain.call(2, 'ticks')}`;
});
button('btn-each', 'out-each', async () => `agents answered: ${JSON.stringify(await domain.onEach('whoami'))}`);
button('btn-nested', 'out-nested', async () => await domain.call(1, 'askPage', 'ping?'));
button('btn-crash', 'out-crash', async () => {
  const before = restarts.length;
  try {
    await domain.call(2, 'crash');
    return 'unexpected: the call returned';
  } catch (e) {
    // Wait for the replacement, then show that agent 2 answers again.
    for (let i = 0; i < 100 && restarts.length === before; i++) await new Promise((r) => setTimeout(r, 20));
    const again = await domain.call(2, 'greet', 'again');
    return `${e.code}: ${e.message}\nrestarted: ${again}`;
  }
});
$('btn-sync').addEventListener('click', () => {
  try {
    show('out-sync', `unexpected: ${domain.callSync(1, 'add', 1, 2)}`);
  } catch (e) {
    show('out-sync', describe(e), true);
  }
});
// Shown at once as well: the refusal is part of what the page demonstrates.
$('btn-sync').click();

// Live latency, measured the way the benchmark measures (examples/browser-bench/measure.js): each
// contender warmed up first, then rounds in which every one runs a batch of sequential round trips
// (about 20 ms each), interleaved, so both sides of a comparison share the same moments; shown as the
// median of the last 30 rounds. The floor is what one cache line costs there and back between two
// workers spinning on it: no call can be faster.
const KEEP = 30;
const echo = new Worker(new URL('./echo-worker.js', import.meta.url), { type: 'module' });
const echoOnce = (i) =>
  new Promise((resolve) => {
    echo.onmessage = (e) => resolve(e.data);
    echo.postMessage(i);
  });
/** A batch timed in a worker: `timeSync` on agent 1 answers with the batch's milliseconds. */
const timedOn1 = (to) => ({ timedElsewhere: (n) => domain.call(1, 'timeSync', to, n) });
const contenders = () => ({
  call: async (n) => {
    for (let i = 0; i < n; i++) await domain.call(1, 'add', i, 1);
  },
  post: async (n) => {
    for (let i = 0; i < n; i++) await echoOnce(i);
  },
  w2p: timedOn1(0),
  w2w: timedOn1(2),
  floor: startFloor(),
});
let stopping;
const recent = (x) => x.rounds.slice(-KEEP);
const showRound = (round, results) => {
  for (const [name, x] of Object.entries(results)) $(`lat-${name}`).textContent = `${median(recent(x)).toFixed(name === 'floor' ? 2 : 1)} µs`;
  const times = ratio({ rounds: recent(results.post) }, { rounds: recent(results.call) });
  $('lat-ratio').textContent = `${times.toFixed(1)}× faster`;
  $('lat-count').textContent = String(round);
};
$('btn-latency').addEventListener('click', async () => {
  if (stopping) {
    stopping.abort();
    return;
  }
  stopping = new AbortController();
  $('btn-latency').textContent = 'stop';
  $('lat-count').textContent = 'warming up…';
  try {
    await measureInterleaved({ contenders: contenders(), rounds: Infinity, batchMs: 20, warmupMs: 300, signal: stopping.signal, onRound: showRound });
  } catch (e) {
    $('lat-count').textContent = describe(e);
  }
  stopping = undefined;
  $('btn-latency').textContent = 'start';
});

// For tests and the console: the domain, and a way to start another one with the same table and workers.
globalThis.smpcallDemo = { domain, start: (options) => start({ calls, worker, ...options }) };
