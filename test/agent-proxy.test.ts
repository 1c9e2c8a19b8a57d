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

test('a proxy method adds no allocation to a call: 200,000 blocking calls through it leave the heap about where it was', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const add = d.agentSync(1).add;
    for (let i = 0; i < 50_000; i++) add(i, 1); // warm: JIT tiers, spin calibration
    const before = process.memoryUsage().heapUsed;
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += add(i, 1);
    const grown = process.memoryUsage().heapUsed - before;
    assert.equal(sum, 200_000 + (200_000 * 199_999) / 2);
    // Allocating even 16 bytes per call would grow the heap by 3 MB (or show as collections).
    assert.ok(grown < 2 << 20, `heap grew ${grown} bytes over 200,000 calls`);
  } finally {
    await d.close();
  }
});
