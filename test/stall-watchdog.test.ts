import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, type StallReport } from 'smpcall';
import type calls from './fixtures/broadcast-calls.js';

const url = new URL('./fixtures/broadcast-calls.js', import.meta.url);

test('the stall watchdog names the caller, the target and the function, then reports when the wait ends', async () => {
  const d = await start<typeof calls>({ workers: 2, stallMs: 100, calls: url, spin: 20 });
  try {
    const reports: StallReport[] = [];
    d.on('stall', (r) => reports.push(r));
    assert.equal(d.callSync(2, 'spinFor', 400), 400);
    const first = reports.find((r) => !r.ended);
    assert.ok(first, 'a stall was reported');
    assert.equal(first.caller, 0);
    assert.equal(first.target, 2);
    assert.equal(first.call, 'spinFor');
    assert.match(first.targetState, /running "spinFor" for agent 0/);
    assert.match(first.message, /agent 0 has waited .* on agent 2 for "spinFor"/);
    const last = reports.at(-1)!;
    assert.equal(last.ended, true);
    assert.match(last.message, /got unstuck/);
  } finally {
    await d.close();
  }
});

test('an awaited call (through the lane when nothing else is pending) that stalls is reported with its target and function, and its end', async () => {
  const d = await start<typeof calls>({ workers: 2, stallMs: 100, calls: url, spin: 20 });
  try {
    const reports: StallReport[] = [];
    d.on('stall', (r) => reports.push(r));
    assert.equal(await d.call(2, 'spinFor', 400), 400);
    await new Promise((r) => setTimeout(r, 20));
    const first = reports.find((r) => !r.ended);
    assert.ok(first, 'a stall was reported');
    assert.equal(first.target, 2);
    assert.equal(first.call, 'spinFor');
    assert.match(first.message, /agent 0 has waited .* on agent 2 for "spinFor"/);
    const last = reports.at(-1)!;
    assert.equal(last.ended, true);
    assert.match(last.message, /agent 2 finished "spinFor"/);
  } finally {
    await d.close();
  }
});

test('a stall inside a worker is reported on the domain with that worker as the caller', async () => {
  const d = await start<typeof calls>({ workers: 2, stallMs: 100, calls: url, spin: 20 });
  try {
    const reports: StallReport[] = [];
    d.on('stall', (r) => reports.push(r));
    // Worker 1 broadcasts; worker 2 is busy for a while, so worker 1's wait on it stalls.
    const busy = d.call(2, 'spinFor', 500);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await d.call(1, 'nestedEach'), [0, 1, 2]);
    await busy;
    await new Promise((r) => setTimeout(r, 50)); // the report travels by message from worker 1
    const fromWorker = reports.find((r) => r.caller === 1 && !r.ended);
    assert.ok(fromWorker, `worker 1 reported a stall (got: ${reports.map((r) => r.message).join(' | ')})`);
    assert.equal(fromWorker.target, 2);
    assert.equal(fromWorker.call, 'whoami');
  } finally {
    await d.close();
  }
});
