import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start } from 'smpcall';
import type calls from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

test('after a worker died, onEach keeps every result at its agent id (the dead one undefined) and settle never rejects', async () => {
  const d = await start<typeof calls>({ workers: 3, calls: url });
  try {
    await d.terminate(2);
    assert.deepEqual(await d.onEach('whoami'), [0, 1, undefined, 3]);
    assert.deepEqual(d.onEachSync('whoami'), [0, 1, undefined, 3]);
    const settled = await d.callMany({ targets: [1, 2, 3], settle: true }, 'whoami');
    assert.deepEqual(settled[0], { status: 'fulfilled', value: 1 });
    assert.equal(settled[1]!.status, 'rejected');
    assert.equal((settled[1] as { reason: { code: string } }).reason.code, codes.AGENT_GONE);
    assert.deepEqual(settled[2], { status: 'fulfilled', value: 3 });
    const sync = d.callManySync({ targets: [2, 3], settle: true }, 'whoami');
    assert.equal(sync[0]!.status, 'rejected');
    assert.deepEqual(sync[1], { status: 'fulfilled', value: 3 });
    // Without settle, a dead target is refused before anything is sent.
    await assert.rejects(d.callMany([1, 2], 'whoami'), { code: codes.AGENT_GONE });
  } finally {
    await d.close();
  }
});

test('callMany rejects only once every target has finished, with the first error', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const before = d.callSync(2, 'ran');
    // Target 1 fails at once; target 2 runs for a while: the rejection waits for it.
    await assert.rejects(d.callMany([1, 2], 'failOn', 1), { code: codes.REMOTE });
    assert.equal(d.callSync(2, 'ran'), before + 1, 'target 2 finished before callMany rejected');
  } finally {
    await d.close();
  }
});
