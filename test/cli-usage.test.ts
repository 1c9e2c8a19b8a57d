import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const check = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8', timeout: 60_000 });

test('smpcall check refuses what it cannot run in one line, exit 2, instead of ignoring it', () => {
  for (const [args, said] of [
    [['--bogus'], /unknown option "--bogus"/],
    [['extra'], /unknown argument "extra"/],
    [['--mode', 'bogus'], /--mode is one of exhaustive, pct, random/],
    [['--schedules', '-5'], /--schedules takes a whole number >= 1/],
    [['--depth', 'abc'], /--depth takes a whole number >= 1/],
    [['--preemptions', 'xyz'], /--preemptions takes a whole number >= 0/],
    [['--seed', '1.5'], /--seed takes a whole number >= 0/],
    [['--scenario'], /--scenario needs a value/],
    [['--scenario', 'nope'], /unknown scenario "nope"/],
  ] as const) {
    const r = check(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('smpcall check with valid options runs', () => {
  const r = check('--scenario', 'parked-wake', '--mode', 'pct', '--schedules', '50', '--seed', '2', '--depth', '2');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /parked-wake\s+pct d=2, k=\d+: 50 schedules.*no counterexample/);
});

test('smpcall demo refuses an option it does not know, in one line, exit 2', () => {
  for (const [args, said] of [
    [['--bogus'], /unknown option "--bogus"/],
    [['--rounds', 'x'], /--rounds takes a whole number >= 1, not "x"/],
  ] as const) {
    const r = spawnSync(process.execPath, [cli, 'demo', ...args], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, said);
  }
});

test('smpcall bench refuses bad options in one line, exit 2, before anything starts', () => {
  for (const [args, said] of [
    [['--nope'], /unknown option "--nope"/],
    [['--rounds', '-1'], /--rounds takes a whole number in 1\.\.1000, not "-1"/],
    [['--target-ms', 'abc'], /--target-ms takes a number/],
    [['--sizes', '1,x'], /--sizes takes sizes in bytes/],
    [['--runtimes', 'node20,node20'], /--runtimes names one twice/],
    [['--runtimes', 'nope'], /unknown runtime "nope"/],
    [['--out'], /--out needs a value/],
  ] as const) {
    const r = spawnSync(process.execPath, [cli, 'bench', ...args], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
});

// Found by a hostile run: --slots 2 and 3 ran and failed on the torture's own workload (its nested chains
// need more slots than that), reported as errors of the library.
test('smpcall torture refuses a slot pool too small for its own workload, in one line, exit 2', () => {
  const r = spawnSync(process.execPath, [cli, 'torture', '--slots', '3', '--duration', '1s'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /slotsPerAgent must be at least 4 for the torture, got 3/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
