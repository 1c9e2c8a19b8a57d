import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('exotic targets and names are refused with a TypeError and a code, from the main thread and from a worker, with nothing sent', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const loose = d as unknown as { callSync(...a: unknown[]): unknown; call(...a: unknown[]): Promise<unknown>; post(...a: unknown[]): void };
  try {
    const targets = [NaN, Infinity, -Infinity, null, undefined, true, 1n, '0', [], {}, 2 ** 53, 3];
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '', Symbol('hit'), 0, null, undefined];
    const cases: [unknown[], string][] = [
      ...targets.map((t): [unknown[], string] => [[t, 'hit'], 'ERR_SMPCALL_BAD_TARGET']),
      ...names.map((n): [unknown[], string] => [[1, n], 'ERR_SMPCALL_UNKNOWN_CALL']),
    ];
    for (const [args, code] of cases) {
      const what = args.map((a) => (typeof a === 'symbol' ? a.toString() : typeof a === 'bigint' ? `${a}n` : JSON.stringify(a) ?? String(a))).join(', ');
      assert.throws(() => loose.callSync(...args), (e: TypeError & { code: string }) => e instanceof TypeError && e.code === code, `callSync(${what})`);
      await assert.rejects(loose.call(...args), { code }, `call(${what})`);
      assert.throws(() => loose.post(...args), { code }, `post(${what})`);
    }
    // From inside a worker: the same refusals, at that worker.
    assert.equal(d.callSync(1, 'tryCall', 5, 'hit'), 'ERR_SMPCALL_BAD_TARGET');
    assert.equal(d.callSync(1, 'tryCall', -1, 'hit'), 'ERR_SMPCALL_BAD_TARGET');
    assert.equal(d.callSync(1, 'tryCall', 2, 'nope'), 'ERR_SMPCALL_UNKNOWN_CALL');
    assert.equal(d.callSync(1, 'tryCall', 2, 'add', 1), 'ERR_SMPCALL_ARITY');
    assert.equal(d.callSync(1, 'tryCall', 2, 'add', 1, 2, 3), 'ERR_SMPCALL_ARITY');
    assert.equal(d.callSync(1, 'hits'), 0, 'nothing reached agent 1');
    assert.equal(d.callSync(2, 'hits'), 0, 'nothing reached agent 2');
    // -0 is agent 0.
    assert.equal(d.callSync(-0, 'whoami'), 0);
  } finally {
    await d.close();
  }
});
