import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('an unknown name, a bad target or a wrong arity is a TypeError with a code at the caller, and nothing is sent', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const loose = d as unknown as { callSync(...a: unknown[]): unknown; call(...a: unknown[]): Promise<unknown>; post(...a: unknown[]): void };
  try {
    const cases: [unknown[], string][] = [
      [[1, 'nope'], 'ERR_SMPCALL_UNKNOWN_CALL'],
      [[1, 'toString'], 'ERR_SMPCALL_UNKNOWN_CALL'],
      [[-1, 'hit'], 'ERR_SMPCALL_BAD_TARGET'],
      [[1.5, 'hit'], 'ERR_SMPCALL_BAD_TARGET'],
      [[3, 'hit'], 'ERR_SMPCALL_BAD_TARGET'],
      [['1', 'hit'], 'ERR_SMPCALL_BAD_TARGET'],
      [[1, 'add', 1], 'ERR_SMPCALL_ARITY'],
      [[1, 'add', 1, 2, 3], 'ERR_SMPCALL_ARITY'],
      [[1, 'optional'], 'ERR_SMPCALL_ARITY'],
    ];
    for (const [args, code] of cases) {
      assert.throws(() => loose.callSync(...args), (e: TypeError & { code: string }) => e instanceof TypeError && e.code === code, `callSync(${args.join(', ')})`);
      await assert.rejects(loose.call(...args), { code });
      assert.throws(() => loose.post(...args), { code });
    }
    assert.equal(d.callSync(1, 'hits'), 0, 'nothing reached agent 1');
    // Default and rest parameters accept what they should.
    assert.equal(d.callSync(1, 'optional', 1), 11);
    assert.equal(d.callSync(1, 'optional', 1, 2), 3);
    assert.equal(d.callSync(1, 'rest'), 0);
    assert.equal(d.callSync(1, 'rest', 1, 2, 3, 4, 5, 6, 7, 8, 9), 9);
    assert.equal(d.callSync(2, 'many', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 55);
  } finally {
    await d.close();
  }
});
