import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

class Custom {
  x = 1;
}
const cycle: Record<string, unknown> = {};
cycle.self = cycle;

test('values the codec cannot carry are refused at the caller with a TypeError and a code, and nothing is sent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const bad of [() => 1, Symbol('s'), new Custom(), { deep: [new Custom()] }, new WeakMap(), Promise.resolve(1)]) {
      assert.throws(() => d.callSync(1, 'note', bad), (e: TypeError & { code: string }) => e instanceof TypeError && e.code === 'ERR_SMPCALL_UNCLONEABLE');
      await assert.rejects(d.call(1, 'note', bad), { code: 'ERR_SMPCALL_UNCLONEABLE' });
      assert.throws(() => d.post(1, 'note', bad), { code: 'ERR_SMPCALL_UNCLONEABLE' });
    }
    assert.deepEqual(d.callSync(1, 'notes'), [], 'no refused call ran');
    // Cycles travel (as with structured clone).
    const back = d.callSync(1, 'echo', cycle) as Record<string, unknown>;
    assert.equal(back.self, back);
  } finally {
    await d.close();
  }
});

test('a value larger than the arena is refused with ERR_SMPCALL_TOO_LARGE before anything is sent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, arenaPerSlot: 1024, bigArena: 64 * 1024 });
  try {
    assert.throws(() => d.callSync(1, 'note', 'x'.repeat(100_000)), { code: 'ERR_SMPCALL_TOO_LARGE' });
    await assert.rejects(d.call(1, 'note', new Uint8Array(200_000)), { code: 'ERR_SMPCALL_TOO_LARGE' });
    assert.deepEqual(d.callSync(1, 'notes'), []);
    // Within the big arena it travels.
    assert.equal((d.callSync(1, 'echo', 'y'.repeat(20_000)) as string).length, 20_000);
  } finally {
    await d.close();
  }
});
