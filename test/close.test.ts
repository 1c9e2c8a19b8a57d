import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('after close every call fails with ERR_SMPCALL_CLOSED, and closing twice is harmless', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const inFlight = d.call(1, 'later', 30, 'finished');
  const closing = d.close();
  assert.throws(() => d.callSync(1, 'add', 1, 2), { code: 'ERR_SMPCALL_CLOSED' });
  await assert.rejects(d.call(2, 'add', 1, 2), { code: 'ERR_SMPCALL_CLOSED' });
  assert.throws(() => d.post(1, 'hit'), { code: 'ERR_SMPCALL_CLOSED' });
  assert.equal(await inFlight, 'finished', 'a call in flight when close() began still completes');
  await closing;
  await d.close();
  await d[Symbol.asyncDispose]();
  assert.deepEqual(
    d.stats().map((s) => s.state),
    ['dead', 'dead', 'dead'],
  );
});

test('a script that starts a domain exits by itself, with or without close()', () => {
  const script = fileURLToPath(new URL('./fixtures/exits-by-itself.js', import.meta.url));
  for (const args of [[], ['close']]) {
    const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, `the process had to be killed (args: ${args.join(' ')}): ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sum=10/);
  }
});
