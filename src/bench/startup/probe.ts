/**
 * One start-up measurement, in a fresh process: `node probe.js <case>` prints one JSON line of
 * milliseconds, each from this script's first line: `imported` (the library's modules loaded),
 * `ready` (start() resolved; for the sync cases, the function made), `first` (the first result).
 * The libraries are loaded as users load them: smpcall's shipped bundles (dist/bundle/), synckit
 * from node_modules.
 */
import { Worker } from 'node:worker_threads';

const t0 = performance.now();
const since = (): number => Math.round((performance.now() - t0) * 10) / 10;
const bundle = (path: string): string => new URL(`../../bundle/${path}`, import.meta.url).href;
const here = (file: string): URL => new URL(`./${file}`, import.meta.url);

type SyncFn = (a: number, b: number) => number;
const cases: Record<string, () => Promise<{ imported: number; ready: number; first: number }>> = {
  async smpcall() {
    const { start } = (await import(bundle('index.js'))) as typeof import('../../index.js');
    const imported = since();
    const d = await start({ workers: 1, calls: here('calls.js') });
    const ready = since();
    await d.call(1, 'add', 1, 2);
    const first = since();
    await d.close();
    return { imported, ready, first };
  },
  async 'smpcall/sync'() {
    const { createSyncFn } = (await import(bundle('sync/index.js'))) as { createSyncFn(p: URL): SyncFn };
    const imported = since();
    const add = createSyncFn(here('sync-worker-smpcall.js'));
    const ready = since();
    add(1, 2);
    return { imported, ready, first: since() };
  },
  async synckit() {
    const { createSyncFn } = (await import('synckit')) as { createSyncFn(p: URL): SyncFn };
    const imported = since();
    const add = createSyncFn(here('sync-worker-synckit.js'));
    const ready = since();
    add(1, 2);
    return { imported, ready, first: since() };
  },
  // The floors: what starting threads costs by itself, with nothing loaded in them.
  async 'one thread'() {
    const imported = since();
    await roundTrip(new Worker("require('node:worker_threads').parentPort.postMessage(1)", { eval: true }));
    return { imported, ready: since(), first: since() };
  },
  async 'a thread started by a thread'() {
    const imported = since();
    const nested = "const { Worker, parentPort } = require('node:worker_threads'); new Worker(\"require('node:worker_threads').parentPort.postMessage(1)\", { eval: true }).on('message', (m) => parentPort.postMessage(m));";
    await roundTrip(new Worker(nested, { eval: true }));
    return { imported, ready: since(), first: since() };
  },
};

function roundTrip(w: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    w.once('message', () => void w.terminate().then(() => resolve()));
    w.once('error', reject);
  });
}

const name = process.argv[2] ?? '';
const run = cases[name];
if (run === undefined) {
  console.error(`probe: unknown case "${name}" (known: ${Object.keys(cases).join(', ')})`);
  process.exit(2);
}
console.log(JSON.stringify({ case: name, ...(await run()) }));
process.exit(0);
