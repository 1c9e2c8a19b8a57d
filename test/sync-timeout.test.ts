import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSyncFn, type Syncify } from 'smpcall/sync';

type Op = (op: string, arg?: unknown) => Promise<unknown>;
const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Call until the worker answers in time (it may still be starting on a loaded machine). */
function warm(call: Syncify<Op>): void {
  for (let i = 0; i < 50; i++) {
    try {
      call('echo', 'warm');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_SMPCALL_TIMEOUT') throw e;
    }
  }
  assert.fail('the worker never answered within its timeout');
}

test('a call that outlives its timeout throws ERR_SMPCALL_TIMEOUT, and its late result never reaches a later call', () => {
  const call = createSyncFn<Op>(new URL('./fixtures/sync-worker.js', import.meta.url), 300);
  warm(call);
  assert.throws(() => call('hang'), { code: 'ERR_SMPCALL_TIMEOUT' });
  assert.throws(() => call('late', 500), { code: 'ERR_SMPCALL_TIMEOUT' });
  sleep(700); // 'late' has now finished on the worker
  let got: unknown;
  for (let i = 0; i < 20 && got === undefined; i++) {
    try {
      got = call('echo', `mine-${i}`);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_SMPCALL_TIMEOUT') throw e;
    }
  }
  assert.match(String(got), /^mine-\d+$/);
});

test('a call that timed out before the worker started it never runs', () => {
  const call = createSyncFn<Op>(new URL('./fixtures/sync-worker-timeout.js', import.meta.url), { timeout: 300 });
  warm(call);
  // The worker blocks its thread for a second: the echo sent meanwhile is still queued at its deadline.
  assert.throws(() => call('block', 1000), { code: 'ERR_SMPCALL_TIMEOUT' });
  assert.throws(() => call('echo', 'never-runs'), { code: 'ERR_SMPCALL_TIMEOUT' });
  sleep(900);
  let ran: string[] | undefined;
  for (let i = 0; i < 20 && ran === undefined; i++) {
    try {
      ran = call('ran') as string[];
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_SMPCALL_TIMEOUT') throw e;
    }
  }
  assert.ok(ran!.includes('block:'), ran!.join(' '));
  assert.ok(!ran!.includes('echo:never-runs'), ran!.join(' '));
});
