import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

/** Collect notes from `target` until `total` arrived; bounded so a lost call fails instead of hanging. */
async function collect(take: () => string[], total: number): Promise<string[]> {
  const got: string[] = [];
  for (let k = 0; k < 3000 && got.length < total; k++) {
    got.push(...take());
    if (got.length < total) await new Promise((r) => setTimeout(r, 5));
  }
  return got;
}

test("when several callers post to one target at the same time, each caller's calls run in the order it made them", async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const n = 3000;
    d.post(2, 'postNotes', 1, 'w', n); // worker 2 → worker 1
    for (let i = 0; i < n; i++) d.post(1, 'note', `m${i}`); // main → worker 1, meanwhile
    const got = await collect(() => d.callSync(1, 'notes') as string[], 2 * n);
    assert.equal(got.length, 2 * n, 'every call arrived once');
    assert.deepEqual(got.filter((x) => x[0] === 'w'), Array.from({ length: n }, (_, i) => `w${i}`));
    assert.deepEqual(got.filter((x) => x[0] === 'm'), Array.from({ length: n }, (_, i) => `m${i}`));
  } finally {
    await d.close();
  }
});

test('a worker mixing post, callSync and call to another worker has them run in the order it made them', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const sent = d.callSync(2, 'mixedTo', 1, 999) as string[];
    const got = await collect(() => d.callSync(1, 'notes') as string[], sent.length);
    assert.deepEqual(got, sent);
  } finally {
    await d.close();
  }
});
