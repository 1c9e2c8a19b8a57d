import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTwin } from '#internal/check/twin-modules.js';
import { exhaustive, pct, replay, encodeSchedule } from '#internal/check/explore.js';
import { variantScenarios } from '#internal/check/scenarios.js';
import { formatTrace } from '#internal/check/trace.js';
import { FIX_2009 } from '#internal/check/cli.js';

test('the 2009 lock-handoff protocol deadlocks when two agents call each other at once, and the trace shows it', async () => {
  const V = await loadTwin([], 'lock2009');
  for (const s of variantScenarios) {
    const r = exhaustive(s, V);
    assert.ok(r.failure, `${s.name}: the deadlock was not found`);
    assert.match(r.failure.problems[0]!, /deadlock/);
    const trace = formatTrace(r.failure);
    assert.match(trace, /cas lane\[1\]\.state: FREE → CLAIMED ok/);
    assert.match(trace, /agent 0: asleep on lane\[1\]\.state/);
    assert.match(trace, /agent 1: asleep on lane\[0\]\.state/);
    // The printed schedule replays to the same deadlock.
    const again = replay(s, V, r.failure.schedule);
    assert.equal(again.kind, 'fail');
    assert.equal(encodeSchedule(again.schedule), encodeSchedule(r.failure.schedule));
  }
});

test('one change, serving your own calls while you wait, removes the 2009 deadlock', async () => {
  const fixed = await loadTwin([FIX_2009], 'lock2009');
  for (const s of variantScenarios) {
    const bounded = exhaustive(s, fixed, { preemptions: 2 });
    assert.equal(bounded.failure, undefined, `${s.name}: ${bounded.failure?.problems.join('; ')}`);
    const sampled = pct(s, fixed, { schedules: 500, seed: 3, depth: 3 });
    assert.equal(sampled.failure, undefined);
  }
});
