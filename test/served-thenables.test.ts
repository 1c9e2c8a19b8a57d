import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start, type ErrorReport } from 'smpcall';
import type calls from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

// A served function may return any promise-like, and its caller gets what `await` would: found by an
// adversarial run, where a `then` that threw escaped into the target's pump (the caller waited
// forever, and a post's failure was reported as memory corruption), and a `then` that called back
// twice answered with its last settlement.

const remote = (message: string) => (e: unknown): boolean => {
  const err = e as { code?: string; cause?: { message?: string } };
  assert.equal(err.code, codes.REMOTE);
  assert.equal(err.cause?.message, message);
  return true;
};

for (const [label, target] of [['a worker', 1], ['the agent itself', 0]] as const) {
  test(`promise-likes served by ${label} settle as await settles them, through call and callSync`, async () => {
    const d = await start<typeof calls>({ workers: 1, calls: url });
    try {
      await assert.rejects(d.call(target, 'thenThrows'), remote('then threw'));
      await assert.rejects(d.call(target, 'thenGetterThrows'), remote('then getter threw'));
      assert.equal(await d.call(target, 'resolveTwice'), 'first');
      await assert.rejects(d.call(target, 'rejectThenResolve'), remote('rejected first'));
      assert.equal(await d.call(target, 'thenableOfThenable'), 'inner');
      assert.throws(() => d.callSync(target, 'thenGetterThrows'), remote('then getter threw'));
      if (target !== 0) {
        // (A blocking call to the agent itself cannot wait for an async function: refused, tested elsewhere.)
        assert.throws(() => d.callSync(target, 'thenThrows'), remote('then threw'));
        assert.equal(d.callSync(target, 'resolveTwice'), 'first');
        assert.throws(() => d.callSync(target, 'rejectThenResolve'), remote('rejected first'));
        assert.equal(d.callSync(target, 'thenableOfThenable'), 'inner');
      }
      // Nothing held back: every slot is free again, and the agent still serves.
      assert.equal(d.callSync(1, 'add', 2, 3), 5);
      for (const s of d.stats()) assert.equal(s.freeSlots, 64, `agent ${s.agent}`);
    } finally {
      await d.close();
    }
  });
}

test('a posted promise-like whose then() throws is reported as the post\'s own failure (REMOTE), not as corruption', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const reports: ErrorReport[] = [];
    d.on('error', (r) => reports.push(r));
    d.post(1, 'thenThrows');
    d.post(1, 'thenGetterThrows');
    d.post(0, 'thenThrows');
    assert.equal(await d.call(1, 'add', 1, 1), 2);
    for (let i = 0; i < 100 && reports.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(reports.length, 3, JSON.stringify(reports.map((r) => r.message)));
    for (const r of reports) assert.equal(r.code, codes.REMOTE, r.message);
    assert.deepEqual(reports.map((r) => r.call).sort(), ['thenGetterThrows', 'thenThrows', 'thenThrows']);
  } finally {
    await d.close();
  }
});
