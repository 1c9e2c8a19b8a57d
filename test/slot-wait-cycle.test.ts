import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, codes } from 'smpcall';
import type calls from './fixtures/slot-cycle-calls.js';

const url = new URL('./fixtures/slot-cycle-calls.js', import.meta.url);

test('a wait for a free slot that a cycle through a blocked event loop would make endless fails with ERR_SMPCALL_NO_SLOT, saying where the slots are, and everything else then completes', async () => {
  const d = await start<typeof calls>({ workers: 1, slotsPerAgent: 2, slotWaitMs: 300, stallMs: 5000, calls: url });
  try {
    // Slot 1 of agent 0: an async function on worker 1 that needs worker 1's event loop to finish.
    const tick = d.call(1, 'tick', 200);
    // Slot 2: worker 1 blocks its event loop waiting on agent 0, which then needs a third slot.
    const blocked = d.call(1, 'blockOnCaller');
    const said = await blocked;
    assert.match(said, new RegExp(`^${codes.REMOTE}: ${codes.NO_SLOT}: `));
    assert.match(said, /agent 0 waited 300 ms for a free slot of its own/);
    assert.match(said, /running at agent 1 \(.*"tick"/);
    // The cycle is unwound: worker 1's event loop runs again, the async call finishes, slots return.
    assert.equal(await tick, 'ticked');
    assert.equal(await d.call(1, 'add', 2, 3), 5);
    assert.equal(d.callSync(1, 'add', 4, 5), 9);
  } finally {
    await d.close();
  }
});

test('a call served while a blocking callMany waits gets a slot from the callMany results that are already in', async () => {
  const d = await start<typeof calls>({ workers: 2, slotsPerAgent: 2, slotWaitMs: 5000, calls: url });
  try {
    // Both of agent 0's slots go out; worker 2's call comes back to agent 0, which needs one more
    // slot: the one worker 1 has already answered in, collected early so the chain completes.
    for (let k = 0; k < 50; k++) assert.deepEqual(d.callManySync([2, 1], 'fanOut'), [5, -1]);
  } finally {
    await d.close();
  }
});

test('slotWaitMs must be a positive number of milliseconds', async () => {
  await assert.rejects(start({ workers: 0, calls: url, slotWaitMs: 0 }), { code: codes.USAGE });
});
