import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('domain.agent(id) calls the table by method name, typed, as call does; agentSync(id) as callSync does', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const one = d.agent(1);
    assert.equal(await one.add(1, 2), 3);
    assert.equal(await d.agent(2).whoami(), 2);
    assert.equal(d.agentSync(2).add(20, 22), 42);
    assert.equal(d.agentSync(0).whoami(), 0);
    // One proxy per agent, kept: no object made per call.
    assert.equal(d.agent(1), one);
    assert.equal(d.agentSync(1), d.agentSync(1));
    // Errors and refusals are those of call and callSync.
    await assert.rejects(one.fail('boom'), { code: codes.REMOTE });
    assert.throws(() => d.agentSync(1).fail('boom'), { code: codes.REMOTE });
    // @ts-expect-error: a wrong argument type is a compile error
    await assert.rejects(one.add(1), { code: codes.ARITY });
    assert.throws(() => d.agent(7), { code: codes.BAD_TARGET });
    // A nested agent's proxy works from inside a call too (here() is an agent handle).
    assert.equal(d.callSync(1, 'addVia', 2, 5, 6), 11);
  } finally {
    await d.close();
  }
});

test('a proxy method adds no allocation to a call: 200,000 blocking calls through it grow the heap no more than 200,000 through callSync', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const add = d.agentSync(1).add;
    // The property is relative: whatever a runtime's JIT does per blocking call (Deno's
    // allocates a little where Node's does not), the proxy adds nothing to it. Allocating
    // even 16 bytes per call through the proxy would add 3 MB over 200,000 calls.
    const sumOfAddOne = (200_000 + (200_000 * 199_999) / 2) | 0;
    const grownBy = (one: (i: number) => number): number => {
      for (let i = 0; i < 50_000; i++) one(i); // warm: JIT tiers, spin calibration
      const before = process.memoryUsage().heapUsed;
      let sum = 0;
      for (let i = 0; i < 200_000; i++) sum = (sum + one(i)) | 0;
      assert.equal(sum, sumOfAddOne);
      return process.memoryUsage().heapUsed - before;
    };
    const direct = grownBy((i) => d.callSync(1, 'add', i, 1));
    const proxied = grownBy((i) => add(i, 1));
    assert.equal(d.agentSync(1).add, add, 'one method per proxy, made once');
    assert.ok(proxied < Math.max(direct, 0) + (2 << 20), `heap grew ${proxied} bytes through the proxy, ${direct} through callSync`);
  } finally {
    await d.close();
  }
});
