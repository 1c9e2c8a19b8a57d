import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('with a restart policy a fresh worker takes over the dead agent id, up to the limit', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, restart: 2 });
  try {
    const restarted = (): Promise<void> => new Promise((r) => d.on('restart', () => r()));
    for (let round = 1; round <= 2; round++) {
      const back = restarted();
      await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
      await back;
      assert.equal(d.callSync(1, 'add', round, 1), round + 1, `works again after restart ${round}`);
      assert.equal(d.callSync(1, 'whoami'), 1);
    }
    const exited = new Promise<{ restarting: boolean }>((r) => d.on('exit', r));
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    assert.equal((await exited).restarting, false, 'the third death is final');
    assert.throws(() => d.callSync(1, 'add', 1, 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
  } finally {
    await d.close();
  }
});
