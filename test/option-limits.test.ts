import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start } from 'smpcall';
import type calls from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

test('a timeout of Infinity or past 2^31 ms never fires early; the call finishes', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, startTimeoutMs: Infinity, stallMs: Infinity });
  try {
    for (const timeoutMs of [Infinity, 2 ** 31, 2 ** 40]) {
      assert.equal(await d.callWith({ timeoutMs }, 1, 'add', 1, 2), 3);
      assert.equal(d.callSyncWith({ timeoutMs }, 1, 'add', 2, 2), 4);
    }
  } finally {
    await d.close();
  }
});

test('bad start() options are refused with ERR_SMPCALL_USAGE before anything starts', async () => {
  for (const bad of [
    { spin: Infinity },
    { spin: NaN },
    { restart: -1 },
    { restart: 'yes' },
    { restart: NaN },
    { restart: 1.5 },
    { stallMs: 0 },
    { slotWaitMs: -1 },
    { startTimeoutMs: 'soon' },
    { workers: 1000, slotsPerAgent: 65536 },
  ]) {
    await assert.rejects(start({ workers: 1, calls: url, ...bad } as never), { code: codes.USAGE }, JSON.stringify(bad));
  }
  // A typo is refused, not ignored (it would have started one worker with every default).
  await assert.rejects(start({ workers: 1, calls: url, wrokers: 4 } as never), (e: Error & { code?: string }) => e.code === codes.USAGE && /unknown option "wrokers" \(known: workers, calls/.test(e.message));
});

test('a domain too large to allocate is refused with a coded error, not a RangeError', async () => {
  await assert.rejects(start({ workers: 1000, calls: url, bigArena: 2 ** 31 - 1 }), (e: Error & { code?: string }) => {
    assert.equal(e.code, codes.USAGE);
    assert.match(e.message, /could not allocate/);
    return true;
  });
});

test('bad call options and event names are refused before anything is sent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const before = d.callSync(1, 'ran');
    for (const options of [{ signal: {} }, { signal: null }, { timeoutMs: -1 }, { timeoutMs: NaN }, null, 5]) {
      await assert.rejects(d.callWith(options as never, 1, 'take', 1), { code: codes.USAGE }, String(JSON.stringify(options)));
    }
    assert.throws(() => d.callSyncWith(null as never, 1, 'take', 1), { code: codes.USAGE });
    // A blocked thread cannot see an abort: a signal is refused, not silently ignored.
    for (const signal of [new AbortController().signal, 'garbage']) {
      assert.throws(() => d.callSyncWith({ signal } as never, 1, 'take', 1), { code: codes.USAGE });
    }
    for (const timeoutMs of [-1, NaN, '5']) assert.throws(() => d.callSyncWith({ timeoutMs } as never, 1, 'take', 1), { code: codes.USAGE });
    assert.equal(d.callSync(1, 'ran'), before, 'nothing was sent');
    assert.throws(() => d.on('__proto__' as never, () => {}), { code: codes.USAGE });
    assert.throws(() => d.on('exit', 5 as never), { code: codes.USAGE });
  } finally {
    await d.close();
  }
});
