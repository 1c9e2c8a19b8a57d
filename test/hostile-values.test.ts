import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start } from 'smpcall';
import type calls from './fixtures/core-calls.js';
import type thenCalls from './fixtures/then-calls.js';

// Found by an adversarial run against the packed tarball (2026-12-05).

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('bigints of any size round-trip exactly, and one larger than the big arena is refused (it used to take time growing with the square of its size)', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const values = [0n, 1n, -1n, 255n, 256n, -(2n ** 64n), 2n ** 64n + 1n, 0xabcn, -0x1234567n, (1n << 1_000_000n) - 12345n, -(3n ** 200_000n)];
    for (const v of values) {
      assert.equal(d.callSync(1, 'echo', v), v);
      assert.equal(d.callSync(0, 'echo', v), v);
      assert.equal(await d.call(1, 'echo', { v }).then((o) => (o as { v: bigint }).v), v);
    }
    // 4,125,001 bytes fit the default 4 MiB big arena (on the old code, by its growth, this call alone would take over an hour);
    // 5,000,001 bytes do not.
    const almost = (1n << 33_000_000n) - 1n;
    assert.equal(d.callSync(1, 'echo', almost), almost);
    assert.throws(() => d.callSync(1, 'echo', 1n << 40_000_000n), { code: codes.TOO_LARGE });
    assert.equal(d.callSync(1, 'add', 1, 2), 3);
  } finally {
    await d.close();
  }
});

test('a view of a detached buffer is refused with UNCLONEABLE (it threw a bare TypeError), and empty views still travel', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const buffer = new ArrayBuffer(8);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] }); // detaches it
    assert.throws(() => d.callSync(1, 'echo', view), { code: codes.UNCLONEABLE });
    await assert.rejects(d.call(1, 'echo', view), { code: codes.UNCLONEABLE });
    assert.throws(() => d.post(1, 'echo', view), { code: codes.UNCLONEABLE });
    assert.throws(() => d.callSync(0, 'echo', view), { code: codes.UNCLONEABLE });
    const empty = d.callSync(1, 'echo', new Float64Array(0)) as Float64Array;
    assert.ok(empty instanceof Float64Array);
    assert.equal(empty.length, 0);
    for (const s of d.stats()) assert.equal(s.freeSlots, 64, `agent ${s.agent}`);
  } finally {
    await d.close();
  }
});

test('a call table with a function named then: the agent proxies are not promise-likes (await settles), and call reaches it', async () => {
  const d = await start<typeof thenCalls>({ workers: 1, calls: new URL('./fixtures/then-calls.js', import.meta.url) });
  try {
    const one = d.agent(1);
    assert.equal(await one.add(1, 2), 3);
    assert.equal(await one, one, 'awaiting the proxy gives the proxy');
    const viaAsync = async () => d.agentSync(1);
    assert.equal(await viaAsync(), d.agentSync(1));
    assert.equal((one as unknown as { then?: unknown }).then, undefined);
    assert.equal(await d.call(1, 'then', 'x'), 'then:x');
    assert.equal(d.callSync(1, 'then', 'y'), 'then:y');
  } finally {
    await d.close();
  }
});
