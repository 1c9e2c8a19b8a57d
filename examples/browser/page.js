// The demo page: starts a domain of two Web Workers and wires the buttons. It runs as it is (no build
// step: the library's ES modules by path) and bundled by Vite or esbuild (test/browser.test.ts runs all three).
import { start } from '../../dist/index.js';
import calls from './calls.js';

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

// Live latency: batches of sequential round trips, rolling median of the batch means.
const BATCH = 200;
const KEEP = 30;
const series = { call: [], post: [], w2w: [] };
let measured = 0;
let running = false;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const record = (name, us) => {
  series[name].push(us);
  if (series[name].length > KEEP) series[name].shift();
  $(`lat-${name}`).textContent = `${median(series[name]).toFixed(1)} µs`;
};
const echo = new Worker(new URL('./echo-worker.js', import.meta.url), { type: 'module' });
const echoOnce = (i) =>
  new Promise((resolve) => {
    echo.onmessage = (e) => resolve(e.data);
    echo.postMessage(i);
  });

async function measure() {
  try {
    await measureLoop();
  } catch (e) {
    $('lat-count').textContent = describe(e);
    running = false;
    $('btn-latency').textContent = 'start';
  }
}
async function measureLoop() {
  while (running) {
    let t0 = performance.now();
    for (let i = 0; i < BATCH; i++) await domain.call(1, 'add', i, 1);
    record('call', ((performance.now() - t0) * 1000) / BATCH);
    t0 = performance.now();
    for (let i = 0; i < BATCH; i++) await echoOnce(i);
    record('post', ((performance.now() - t0) * 1000) / BATCH);
    record('w2w', await domain.call(1, 'pingSync', 2, BATCH));
    measured += 3 * BATCH;
    $('lat-count').textContent = String(measured);
    await new Promise((r) => setTimeout(r, 0));
  }
}
$('btn-latency').addEventListener('click', () => {
  running = !running;
  $('btn-latency').textContent = running ? 'stop' : 'start';
  if (running) void measure();
});

// For tests and the console: the domain, and a way to start another one with the same table and workers.
globalThis.smpcallDemo = { domain, start: (options) => start({ calls, worker, ...options }) };
