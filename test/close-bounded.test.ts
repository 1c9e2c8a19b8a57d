import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start, type StallReport } from 'smpcall';
import type calls from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

test('close() resolves when an async function never settles, and the call waiting on it is told', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  const pending = assert.rejects(d.call(1, 'never'), { code: codes.AGENT_GONE });
  await assert.rejects(d.callWith({ timeoutMs: 20 }, 1, 'never'), { code: codes.TIMEOUT });
  await d.close();
  await pending;
});

test('close() resolves when a worker is stuck in a loop, after its grace period, terminating it', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const stuck = assert.rejects(d.call(1, 'spinForever'), { code: codes.AGENT_GONE });
  assert.equal(await d.call(2, 'add', 1, 1), 2);
  await d.close();
  await stuck;
});

test('an awaited call that does not finish within stallMs is reported by the watchdog, and again when it ends', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, stallMs: 100 });
  try {
    const reports: StallReport[] = [];
    d.on('stall', (r) => reports.push(r));
    const slow = d.call(1, 'failOn', -1); // runs ~30 ms: no report
    await slow;
    assert.equal(reports.length, 0);
    const never = d.callWith({ timeoutMs: 400 }, 1, 'never');
    await assert.rejects(never, { code: codes.TIMEOUT });
    const first = reports.find((r) => !r.ended);
    assert.ok(first, 'a stall report came');
    assert.equal(first.caller, 0);
    assert.equal(first.target, 1);
    assert.equal(first.call, 'never');
    assert.ok(reports.some((r) => r.ended), 'and its end');
  } finally {
    await d.close();
  }
});
