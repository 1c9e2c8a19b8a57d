import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start, type ErrorReport } from 'smpcall';
import calls, { BadDecode, MainOnly, SelfRef } from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

test('arguments their target cannot decode fail that one call with a coded error, and the target keeps serving', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, slotsPerAgent: 1 });
  try {
    for (const bad of [new BadDecode(1), new MainOnly(2)]) {
      // smpcall's own failure on the far side keeps its code (the far side's error is the cause).
      assert.throws(() => d.callSync(1, 'take', bad), (e: Error & { code?: string; cause?: Error & { code?: string } }) => {
        assert.equal(e.code, codes.UNCLONEABLE);
        assert.equal(e.cause?.code, codes.UNCLONEABLE);
        assert.match(e.message, /agent 1 could not decode the arguments of "take" from agent 0/);
        return true;
      });
      await assert.rejects(d.call(1, 'take', bad), { code: codes.UNCLONEABLE });
    }
    // With one slot, the next call gets its own result: nothing of the failed ones is left behind.
    assert.equal(d.callSync(1, 'add', 2, 3), 5);
    assert.equal(d.callSync(1, 'ran'), 0);
  } finally {
    await d.close();
  }
});

test('a result its caller cannot decode fails that call with ERR_SMPCALL_UNCLONEABLE, and the next call gets its own result', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, slotsPerAgent: 1 });
  try {
    assert.throws(() => d.callSync(1, 'badResult'), { code: codes.UNCLONEABLE });
    await assert.rejects(d.call(1, 'badResult'), { code: codes.UNCLONEABLE });
    assert.equal(d.callSync(1, 'add', 1, 1), 2);
  } finally {
    await d.close();
  }
});

test('a post its target cannot decode is reported as an error event on the domain, not a crash', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const reports: ErrorReport[] = [];
    d.on('error', (r) => reports.push(r));
    d.post(1, 'take', new BadDecode(3));
    d.post(1, 'postThrows', 'on purpose');
    for (let i = 0; i < 200 && reports.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(reports.length, 2, reports.map((r) => r.message).join(' | '));
    assert.ok(reports.every((r) => r.agent === 1 && r.from === 0));
    assert.equal(reports[0]!.code, codes.UNCLONEABLE, reports[0]!.message);
    assert.match(reports[0]!.message, /post "take" from agent 0 was not run: agent 1 could not decode the arguments/);
    assert.equal(reports[1]!.code, codes.REMOTE);
    assert.match(reports[1]!.message, /post "postThrows" from agent 0 threw on agent 1: TypeError: on purpose/);
    assert.equal(d.callSync(1, 'add', 1, 2), 3);
  } finally {
    await d.close();
  }
});

test('a value nested deeper than every agent can decode is refused at its sender, nothing sent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    let deep: unknown = 0;
    for (let i = 0; i < 1800; i++) deep = [deep];
    const before = d.callSync(1, 'ran');
    assert.throws(() => d.callSync(1, 'take', deep), { code: codes.UNCLONEABLE });
    assert.throws(() => d.post(1, 'take', deep), { code: codes.UNCLONEABLE });
    // And the other way: a worker's deep result to the main thread is refused on the worker.
    assert.throws(() => d.callSync(1, 'echo', deep), { code: codes.UNCLONEABLE });
    assert.equal(d.callSync(1, 'ran'), before);
  } finally {
    await d.close();
  }
});

test('a registered class whose encoding is the instance itself is refused at its sender, nothing sent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const before = d.callSync(1, 'ran');
    assert.throws(() => d.callSync(1, 'take', new SelfRef()), { code: codes.UNCLONEABLE });
    await assert.rejects(d.call(1, 'take', new SelfRef()), { code: codes.UNCLONEABLE });
    assert.equal(d.callSync(1, 'ran'), before);
  } finally {
    await d.close();
  }
});

test("a function's own error stays REMOTE even when it carries a codec code (a nested call it made was refused)", async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const own = (e: Error & { code?: string; cause?: Error & { code?: string } }): boolean => {
      assert.equal(e.code, codes.REMOTE);
      assert.equal(e.cause?.code, codes.UNCLONEABLE);
      assert.match(e.message, /"nestedRefused" on agent 1 threw/);
      return true;
    };
    assert.throws(() => d.callSync(1, 'nestedRefused'), own);
    await assert.rejects(d.call(1, 'nestedRefused'), own);
  } finally {
    await d.close();
  }
});
