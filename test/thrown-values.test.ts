import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

type Remote = Error & { code: string; cause: Error };
const described: [string, RegExp][] = [
  ['string', /a plain string/],
  ['number', /42/],
  ['null', /null/],
  ['undefined', /undefined/],
  ['object', /an object/],
  ['symbol', /Symbol\(thrown\)/],
  ['bigint', /10/],
];

test('a thrown value that is not an Error still reaches the caller as ERR_SMPCALL_REMOTE describing it', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const [kind, text] of described) {
      const check = (e: Remote): boolean => {
        assert.equal(e.code, 'ERR_SMPCALL_REMOTE', kind);
        assert.ok(e.cause instanceof Error, `${kind}: the cause is an Error`);
        assert.match(e.cause.message, text, kind);
        return true;
      };
      assert.throws(() => d.callSync(1, 'throwValue', kind), check);
      await assert.rejects(d.call(1, 'throwValue', kind), check);
      await assert.rejects(d.call(1, 'rejectValue', kind), check);
      assert.throws(() => d.callSync(0, 'throwValue', kind), check, `${kind} (a call to itself)`);
    }
    assert.equal(d.callSync(1, 'add', 1, 2), 3, 'the agent keeps serving');
  } finally {
    await d.close();
  }
});

test(
  'a thrown value that cannot even be described (null prototype, holding a bigint) still reaches the caller as ERR_SMPCALL_REMOTE',
  async () => {
    const d = await start<typeof calls>({ workers: 1, calls: url });
    try {
      assert.throws(() => d.callSync(0, 'throwValue', 'opaque'), { code: 'ERR_SMPCALL_REMOTE' }, 'a call to itself');
      assert.throws(() => d.callSync(1, 'throwValue', 'opaque'), { code: 'ERR_SMPCALL_REMOTE' }, 'a call to a worker');
      assert.equal(d.callSync(1, 'add', 1, 2), 3, 'the worker is still there');
    } finally {
      await d.close();
    }
  },
);
