import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('a call to itself checks names, targets and arity exactly like a call to another agent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  const loose = d as unknown as { callSync(...a: unknown[]): unknown; call(...a: unknown[]): Promise<unknown>; post(...a: unknown[]): void };
  try {
    for (const [args, code] of [
      [[0, 'nope'], 'ERR_SMPCALL_UNKNOWN_CALL'],
      [[0, 'add', 1], 'ERR_SMPCALL_ARITY'],
      [[0, 'hit', 1], 'ERR_SMPCALL_ARITY'],
    ] as [unknown[], string][]) {
      assert.throws(() => loose.callSync(...args), { code });
      await assert.rejects(loose.call(...args), { code });
      assert.throws(() => loose.post(...args), { code });
    }
    assert.equal(d.callSync(0, 'hits'), 0, 'nothing ran');
    // From inside a worker, to itself.
    assert.equal(d.callSync(1, 'tryCall', 1, 'add', 1), 'ERR_SMPCALL_ARITY');
    assert.equal(d.callSync(1, 'tryCall', 1, 'add', 1, 2), 'ok');
  } finally {
    await d.close();
  }
});

test('callSync to itself on an async function is refused with ERR_SMPCALL_USAGE instead of blocking forever', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.throws(() => d.callSync(0, 'addViaAsync', 1, 1, 2), { code: 'ERR_SMPCALL_USAGE' });
    assert.equal(await d.call(0, 'addViaAsync', 1, 1, 2), 3, 'call() to itself awaits it');
  } finally {
    await d.close();
  }
});

test(
  'a call to itself refuses values the codec cannot carry, as a call to another agent does',
  async () => {
    const d = await start<typeof calls>({ workers: 1, calls: url });
    try {
      for (const target of [1, 0]) {
        assert.throws(() => d.callSync(target, 'echo', () => 1), { code: 'ERR_SMPCALL_UNCLONEABLE' }, `argument, to agent ${target}`);
        assert.throws(
          () => d.callSync(target, 'giveFunction'),
          (e: Error & { code?: string; cause?: { code?: string } }) => e.code === 'ERR_SMPCALL_UNCLONEABLE' && e.cause?.code === 'ERR_SMPCALL_UNCLONEABLE',
          `result, from agent ${target}`,
        );
      }
    } finally {
      await d.close();
    }
  },
);
