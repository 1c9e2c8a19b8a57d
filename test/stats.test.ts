import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('stats() counts calls sent and served per agent and shows every slot free when idle', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    for (let i = 0; i < 500; i++) d.callSync(1, 'add', i, 1);
    for (let i = 0; i < 100; i++) await d.call(2, 'echo', 'x'.repeat(200));
    const [main, one, two] = d.stats();
    assert.ok(main!.sent >= 600);
    assert.ok(main!.express > 0, 'small sync calls used the express lane');
    assert.ok(one!.served >= 500);
    assert.ok(two!.served >= 100);
    for (const s of [main!, one!, two!]) assert.equal(s.freeSlots, 64);
    assert.ok(['running', 'polling', 'parked'].includes(one!.state));
  } finally {
    await d.close();
  }
});
