import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

type Refused = Error & { code: string; cause: Error & { code?: string } };
/** smpcall's own refusal on the far side keeps its code at the caller; the far side's error is the cause. */
const refusedResult = (code: string) => (e: Refused): boolean => {
  assert.equal(e.code, code);
  assert.equal(e.cause.code, code);
  assert.match(e.message, /agent 1 could not send back the result of "\w+"/);
  return true;
};

test('a result the codec cannot carry reaches the caller as an error naming why, and the agent keeps serving', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const name of ['giveFunction', 'giveSymbol', 'giveCustom', 'giveFunctionLater'] as const) {
      assert.throws(() => d.callSync(1, name), refusedResult('ERR_SMPCALL_UNCLONEABLE'), `${name} (callSync)`);
      await assert.rejects(d.call(1, name), refusedResult('ERR_SMPCALL_UNCLONEABLE'), `${name} (call)`);
    }
    assert.equal(d.callSync(1, 'add', 1, 2), 3);
    assert.equal(d.stats()[0]!.freeSlots, 64, 'no slot of the caller leaked');
  } finally {
    await d.close();
  }
});

test('a result larger than the big arena is an error at the caller, and a large result of an express-lane call comes back whole', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, arenaPerSlot: 1024, bigArena: 256 * 1024 });
  try {
    // Numbers in (the express lane), a big value out (spilled into the caller's slot, then its arena).
    assert.deepEqual(d.callSync(1, 'range', 100), Array.from({ length: 100 }, (_, i) => i));
    assert.equal((d.callSync(1, 'giveString', 100_000) as string).length, 100_000);
    assert.equal((await d.call(1, 'giveString', 100_000)).length, 100_000);
    assert.throws(() => d.callSync(1, 'giveString', 1_000_000), refusedResult('ERR_SMPCALL_TOO_LARGE'));
    await assert.rejects(d.call(1, 'giveString', 1_000_000), refusedResult('ERR_SMPCALL_TOO_LARGE'));
    assert.equal(d.callSync(1, 'giveString', 3), 'rrr');
    for (const s of d.stats()) assert.equal(s.freeSlots, 64, `agent ${s.agent} leaked no slot`);
  } finally {
    await d.close();
  }
});
