import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpinBudget } from '#internal/agent/spin.js';

test('the spin budget doubles after a park shorter than its longest spin, up to 8 times the domain\'s, and halves back after long parks', () => {
  const ctx = { spinRounds: 100, coreGate: false };
  const budget = new SpinBudget(ctx, 50); // longest spin: 8 × 50 µs = 0.4 ms
  budget.parkedFor(0.05); // woken 50 µs after parking: spinning on would have been cheaper
  assert.equal(ctx.spinRounds, 200);
  for (let i = 0; i < 10; i++) budget.parkedFor(0.1);
  assert.equal(ctx.spinRounds, 800, 'capped at 8 × the base');
  budget.parkedFor(0.4); // as long as the longest spin: parking was right
  assert.equal(ctx.spinRounds, 400);
  for (let i = 0; i < 10; i++) budget.parkedFor(50);
  assert.equal(ctx.spinRounds, 100, 'never below the base');
});

test('spin: 0 stays 0 whatever the parks (the domain asked for no spinning)', () => {
  const ctx = { spinRounds: 0, coreGate: false };
  const budget = new SpinBudget(ctx, 0);
  budget.parkedFor(0);
  budget.parkedFor(0.01);
  assert.equal(ctx.spinRounds, 0);
});

test('with more agents than cores the budget stays at the domain\'s spin: a longer spin would hold a core a woken agent needs', () => {
  const ctx = { spinRounds: 100, coreGate: true };
  const budget = new SpinBudget(ctx, 50);
  for (let i = 0; i < 10; i++) budget.parkedFor(0.05);
  assert.equal(ctx.spinRounds, 100);
  budget.parkedFor(50);
  assert.equal(ctx.spinRounds, 100);
});
