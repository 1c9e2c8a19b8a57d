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

test('a blocking wait grows the budget only after spins that ran at the speed their rounds were measured at; a slowed one resets it and holds growth off', () => {
  const ctx = { spinRounds: 100, coreGate: false };
  const budget = new SpinBudget(ctx, 50); // 100 rounds for 50 µs: half a spin should take 25 µs
  budget.blockedParkEnded(0.02, 0.05); // half the spin in 20 µs, woken 50 µs later
  assert.equal(ctx.spinRounds, 200);
  budget.blockedParkEnded(0.05, 0.05); // half of 200 rounds (50 µs expected) in 50 µs
  assert.equal(ctx.spinRounds, 400);
  // The second half of the spin took 10x longer than its rounds: the thread lost its core (or is
  // still interpreted). Back to the base, and the next short parks do not grow it.
  budget.blockedParkEnded(1, 0.05);
  assert.equal(ctx.spinRounds, 100);
  for (let i = 0; i < 16; i++) budget.blockedParkEnded(0.02, 0.05);
  assert.equal(ctx.spinRounds, 100, 'held off for 16 short parks');
  budget.blockedParkEnded(0.02, 0.05);
  assert.equal(ctx.spinRounds, 200, 'then it grows again');
  budget.blockedParkEnded(0.05, 50); // a long park: parking was right
  assert.equal(ctx.spinRounds, 100);
});

test('a blocking wait with more agents than cores never grows the budget, slowed or not', () => {
  const ctx = { spinRounds: 100, coreGate: true };
  const budget = new SpinBudget(ctx, 50);
  for (let i = 0; i < 5; i++) budget.blockedParkEnded(0.02, 0.05);
  budget.blockedParkEnded(1, 0.05);
  assert.equal(ctx.spinRounds, 100);
});
