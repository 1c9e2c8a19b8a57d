import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start, type ErrorReport } from 'smpcall';
import { HOT_INBOX, H_CLEAN_LOCK, S_NEXT, hot, inboxWord, lockValue, makeLayout, slotWord } from '#internal/layout.js';
import type calls from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

/** The domain's buffer (a diagnostics hook, not API): what a buggy or hostile thread could write. */
async function bufferOf(d: object): Promise<Int32Array> {
  return new Int32Array((d as Record<symbol, SharedArrayBuffer>)[Symbol.for('smpcall.buffer')]!);
}

test('an inbox that loops on one slot is reported as corrupt and never followed, and the agent keeps serving', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, slotsPerAgent: 4 });
  try {
    const reports: ErrorReport[] = [];
    d.on('error', (r) => reports.push(r));
    const i32 = await bufferOf(d);
    const L = makeLayout({ agents: 2, slotsPerAgent: 4, arenaPerSlot: 16384, bigPages: (4 << 20) / 4096, tableHash: 0 });
    // A one-slot cycle on the main thread's own inbox: slot 5 (agent 1's second slot) links to itself.
    Atomics.store(i32, slotWord(L, 5, S_NEXT), 5);
    Atomics.store(i32, hot(L, 0, HOT_INBOX), inboxWord(0, 5));
    // The main thread looks at its inbox while it waits for this call (and from its pump).
    assert.equal(d.callSync(1, 'add', 1, 2), 3);
    for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(reports[0]?.code, codes.CORRUPT, reports.map((r) => r.message).join(' | '));
    assert.match(reports[0]!.message, /cycle through slot 5/);
    assert.equal(d.callSync(1, 'add', 2, 2), 4);
  } finally {
    await d.close();
  }
});

test('an inbox head out of range on a worker is reported as an error event, not an uncaught exception', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, slotsPerAgent: 4 });
  try {
    const reports: ErrorReport[] = [];
    d.on('error', (r) => reports.push(r));
    const i32 = await bufferOf(d);
    const L = makeLayout({ agents: 2, slotsPerAgent: 4, arenaPerSlot: 16384, bigPages: (4 << 20) / 4096, tableHash: 0 });
    Atomics.store(i32, hot(L, 1, HOT_INBOX), inboxWord(0, 123456));
    d.post(1, 'take', 1); // pushes on the garbage head (a rung worker takes it and finds it bad)
    for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(reports[0]?.code, codes.CORRUPT);
    assert.equal(reports[0]?.agent, 1);
    assert.equal(d.callSync(1, 'add', 2, 2), 4);
  } finally {
    await d.close();
  }
});

test('a cleanup lock left held is reported and taken over, never waited on forever', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const reports: ErrorReport[] = [];
    d.on('error', (r) => reports.push(r));
    const i32 = await bufferOf(d);
    Atomics.store(i32, H_CLEAN_LOCK, lockValue(1)); // "held" by a live agent that will never release it
    await d.terminate(2); // its death cleanup must take the lock
    for (let i = 0; i < 1500 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(reports.some((r) => r.code === codes.CORRUPT && /cleanup lock/.test(r.message)), reports.map((r) => r.message).join(' | '));
    assert.equal(d.callSync(1, 'add', 1, 1), 2);
  } finally {
    await d.close();
  }
});
