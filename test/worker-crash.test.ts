import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('a worker that exits mid-call fails its waiting callers with ERR_SMPCALL_AGENT_GONE, even a blocked callSync', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const exits: number[] = [];
    d.on('exit', (e) => exits.push(e.agent));
    assert.throws(() => d.callSync(1, 'exit', 3), (e: Error & { code: string }) => e.code === 'ERR_SMPCALL_AGENT_GONE' && /agent 1/.test(e.message));
    // Later calls to it fail at once; the other worker is unaffected.
    assert.throws(() => d.callSync(1, 'add', 1, 2), { code: 'ERR_SMPCALL_AGENT_GONE' });
    await assert.rejects(d.call(1, 'add', 1, 2), { code: 'ERR_SMPCALL_AGENT_GONE' });
    assert.throws(() => d.post(1, 'hit'), { code: 'ERR_SMPCALL_AGENT_GONE' });
    assert.equal(d.callSync(2, 'add', 1, 2), 3);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(exits, [1]);
  } finally {
    await d.close();
  }
});

test('a worker killed by an uncaught error while calls wait on it fails them instead of hanging them', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    d.post(1, 'throwInTimer', 5);
    const waiting = [d.call(1, 'spinFor', 50), d.call(1, 'later', 500, 'never'), d.call(1, 'later', 1000, 'never')];
    const results = await Promise.allSettled(waiting);
    for (const r of results.slice(1)) {
      assert.equal(r.status, 'rejected');
      assert.equal((r as PromiseRejectedResult).reason.code, 'ERR_SMPCALL_AGENT_GONE');
    }
    assert.deepEqual(d.stats()[0]!.freeSlots, 64, 'no slot leaked');
  } finally {
    await d.close();
  }
});

test('terminate() stops a stuck worker and its callers are told', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const stuck = assert.rejects(d.call(1, 'spinFor', 60_000), { code: 'ERR_SMPCALL_AGENT_GONE' });
    await new Promise((r) => setTimeout(r, 20));
    await d.terminate(1);
    await stuck;
  } finally {
    await d.close();
  }
});
