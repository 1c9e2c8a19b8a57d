/**
 * The browser benchmark (examples/browser-bench/, driven by src/bench/browser/run.ts) in headless
 * Chromium, with tiny rounds: every group measures each contender it names and every figure is a
 * positive finite number. No timing is asserted. Skipped, saying so, where Chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumMissing } from '#internal/bench/browser/chromium.js';
import { runBrowserBench } from '#internal/bench/browser/run.js';

const skip = chromiumMissing() ?? false;
if (skip) console.log(`# browser benchmark test skipped: ${skip}`);

const CONTENDERS: Record<string, string[]> = {
  a: ['smpcall', 'coincident', 'comlink', 'postMessage', 'floor'],
  b: ['smpcall', 'coincident', 'postMessage', 'floor'],
  c: ['smpcall', 'postMessage', 'floor'],
};
const NOT_APPLICABLE: Record<string, string[]> = { a: [], b: ['comlink'], c: ['coincident', 'comlink'] };

const positive = (x: number): boolean => Number.isFinite(x) && x > 0;

test('two quick page loads run every contender of groups a, b and c, and every figure and ratio is a positive finite number', { skip }, async () => {
  const run = await runBrowserBench({ rounds: 2, batchMs: 2, warmupMs: 10, loads: 2 });
  assert.equal(run.failed, undefined);
  assert.equal(run.skipped, undefined);
  assert.equal(run.loads, 2);
  assert.match(run.browser ?? '', /^Chromium \d+\.\d+/);
  assert.deepEqual(
    run.groups.map((g) => g.id),
    ['a', 'b', 'c'],
  );
  for (const g of run.groups) {
    const names = CONTENDERS[g.id]!;
    assert.deepEqual(Object.keys(g.us), names, `group ${g.id} measured its contenders`);
    assert.deepEqual(Object.keys(g.na), NOT_APPLICABLE[g.id], `group ${g.id} says which peers cannot make its call`);
    for (const name of names) assert.ok(g.how[name], `group ${g.id} says what ${name} calls`);
    for (const [name, f] of Object.entries(g.us)) {
      assert.equal(f.loads.length, 2);
      for (const x of [f.median, ...f.loads]) assert.ok(positive(x), `${g.id}. ${name}: ${x} µs`);
    }
    // A ratio for every ordered pair of contenders.
    assert.equal(Object.keys(g.ratios).length, names.length * (names.length - 1));
    for (const [pair, f] of Object.entries(g.ratios)) for (const x of [f.median, ...f.loads]) assert.ok(positive(x), `${g.id}. ${pair}: ${x}`);
  }
});
