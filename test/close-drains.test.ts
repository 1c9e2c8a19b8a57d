import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('posts queued before close() all run before the workers stop', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const counter = new SharedArrayBuffer(4 * 1025);
  await d.share(counter);
  const view = new Int32Array(counter);
  for (let i = 0; i < 5000; i++) d.post(1 + (i % 2), 'bump', view, i);
  await d.close();
  assert.equal(Atomics.load(view, 0), 5000, 'every post ran');
});

test('workers busy calling the main thread when close() begins stop cleanly, with exit code 0', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const exits: { agent: number; code: number; expected: boolean }[] = [];
  d.on('exit', (e) => exits.push(e));
  // Both workers are in long loops of sync calls (1 → main, 2 → 1) when close() begins; their next
  // call after close fails with ERR_SMPCALL_CLOSED (each worker reports that its post threw), and
  // they wind down. A worker that had to be terminated would exit with code 1.
  d.post(1, 'hammerStore', 0, 1_000_000);
  d.post(2, 'hammerStore', 1, 1_000_000);
  await d.call(1, 'add', 0, 0); // the loops are running (served while worker 1 waits)
  await d.close();
  assert.deepEqual(
    exits.map((e) => [e.agent, e.code, e.expected]).sort(),
    [
      [1, 0, true],
      [2, 0, true],
    ],
  );
});

test('close() resolves after a worker has crashed, and every agent is dead afterwards', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  await assert.rejects(d.call(1, 'exit', 0), { code: 'ERR_SMPCALL_AGENT_GONE' });
  await d.close();
  assert.deepEqual(
    d.stats().map((s) => s.state),
    ['dead', 'dead', 'dead'],
  );
  await assert.rejects(d.call(2, 'add', 1, 2), { code: 'ERR_SMPCALL_CLOSED' });
});
