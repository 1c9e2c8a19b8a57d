import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTwin } from '#internal/check/twin-modules.js';
import { exhaustive, pct } from '#internal/check/explore.js';
import { scenarios } from '#internal/check/scenarios.js';

// The full exploration (every 2-agent scenario to the end) is `npm run check`; here the small ones
// run to the end and the larger ones get a sample, so the suite stays fast.
const small = ['parked-wake', 'post-pair', 'post-order', 'mixed-order', 'post-storm'];

test('our protocol has no counterexample in any interleaving of the small two-agent scenarios', async () => {
  const P = await loadTwin();
  for (const name of small) {
    const s = scenarios.find((x) => x.name === name)!;
    const r = exhaustive(s, P);
    assert.equal(r.failure, undefined, `${name}: ${r.failure?.problems.join('; ')}`);
    assert.ok(r.schedules > 0 && r.states > 0, `${name} explored nothing`);
    assert.doesNotMatch(r.mode, /stopped/);
  }
});

test('our protocol survives PCT schedules of every scenario, three agents included', async () => {
  const P = await loadTwin();
  for (const s of scenarios) {
    const r = pct(s, P, { schedules: 300, seed: 7, depth: 3 });
    assert.equal(r.failure, undefined, `${s.name}: ${r.failure?.problems.join('; ')}`);
  }
});
