import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTwin } from '#internal/check/twin-modules.js';
import { pct } from '#internal/check/explore.js';
import { checkScenario } from '#internal/check/cli.js';
import { scenarios } from '#internal/check/scenarios.js';

// The full exploration is `npm run check` (about four minutes); here a selection runs its own search
// (every schedule, or a preemption bound) with fewer PCT schedules, and every scenario gets a PCT sample.
const selection = ['parked-wake', 'post-pair', 'mixed-order', 'post-storm', 'two-waiters', 'cancel-vs-start', 'fifo-after-cancel', 'death-lane', 'batch-reuse'];

test('our protocol has no counterexample in the schedules searched for a selection of scenarios, cancellation and death included', async () => {
  const P = await loadTwin();
  for (const name of selection) {
    const s = scenarios.find((x) => x.name === name);
    assert.ok(s, `scenario ${name} exists`);
    for (const r of checkScenario(s, P, { schedules: '1000' })) {
      assert.equal(r.failure, undefined, `${name}: ${r.failure?.problems.join('; ')}`);
      assert.ok(r.schedules > 0, `${name} explored nothing`);
      assert.doesNotMatch(r.mode, /stopped/);
    }
  }
});

test('our protocol survives PCT schedules of every scenario, three agents, deaths and restarts included', async () => {
  const P = await loadTwin();
  for (const s of scenarios) {
    const r = pct(s, P, { schedules: 300, seed: 7, depth: 3 });
    assert.equal(r.failure, undefined, `${s.name}: ${r.failure?.problems.join('; ')}`);
  }
});
