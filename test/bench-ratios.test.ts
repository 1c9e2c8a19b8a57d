import { test } from 'node:test';
import assert from 'node:assert/strict';
import { payloadWins, speedup, timesFloor } from '#internal/bench/report.js';
import type { CaseResult, SessionResult } from '#internal/bench/messages.js';

const result = (id: string, rounds: number[], extra: Partial<CaseResult> = {}): CaseResult => ({ id, label: id, system: 'x', kind: 'sync', us: 0, rounds, ...extra });

test('a speed-up is the median of the per-round ratios, so each ratio compares two figures measured moments apart', () => {
  // Round 2 is slow for both (a noisy neighbour): per-round ratios are 10, 10, 10; ratio of medians would not be.
  const fast = result('a', [1, 5, 2]);
  const slow = result('b', [10, 50, 20]);
  assert.equal(speedup(fast, slow), 10);
  assert.equal(timesFloor(slow, fast), 10);
});

test('payloadWins lists, per payload type, the sizes at which smpcall beat postMessage in the same session', () => {
  const s: SessionResult = {
    name: 'payload',
    title: '',
    agents: 2,
    threads: 2,
    refLabel: 'postMessage',
    skipped: [],
    seconds: 1,
    cases: [
      result('pm.8', [10, 10], { system: 'postMessage', payload: { type: 'string', bytes: 8 } }),
      result('sm.8', [1, 1], { system: 'smpcall call', ref: 'pm.8', payload: { type: 'string', bytes: 8 } }),
      result('pm.1M', [100, 100], { system: 'postMessage', payload: { type: 'string', bytes: 1 << 20 } }),
      result('sm.1M', [300, 300], { system: 'smpcall call', ref: 'pm.1M', payload: { type: 'string', bytes: 1 << 20 } }),
    ],
  };
  assert.deepEqual([...payloadWins(s, 'smpcall call')], [['string', [8]]]);
});
