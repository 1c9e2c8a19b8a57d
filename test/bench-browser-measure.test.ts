/**
 * The browser benchmark's measuring module (examples/browser-bench/measure.js: plain JavaScript that
 * needs only performance.now(), so it runs here in Node too). Its logic, not its timings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

type Contender = ((n: number) => unknown) | { timedElsewhere: (n: number) => Promise<number> };
interface Result {
  us: number;
  n: number;
  rounds: number[];
}
interface Measure {
  median(xs: number[]): number;
  ratio(a: Result, b: Result): number;
  measureInterleaved(o: {
    contenders: Record<string, Contender>;
    rounds?: number;
    batchMs?: number;
    warmupMs?: number;
    onRound?: (round: number, results: Record<string, Result>) => void;
    signal?: AbortSignal;
  }): Promise<Record<string, Result>>;
}
// dist-test/test/ → the repository's examples/ (the file is served as it is, not compiled).
const { median, ratio, measureInterleaved } = (await import(new URL('../../examples/browser-bench/measure.js', import.meta.url).href)) as Measure;

test('contenders run one batch each per round, in an order rotated every round, with the batch size found in the warm-up', async () => {
  const order: string[] = [];
  const sizes = new Map<string, Set<number>>();
  const contender = (name: string) => (n: number) => {
    order.push(name);
    sizes.set(name, (sizes.get(name) ?? new Set()).add(n));
  };
  const rounds: number[] = [];
  const results = await measureInterleaved({
    contenders: { a: contender('a'), b: contender('b'), c: contender('c') },
    rounds: 3,
    batchMs: 0.05,
    warmupMs: 1,
    onRound: (r) => rounds.push(r),
  });
  assert.deepEqual(rounds, [1, 2, 3]);
  assert.deepEqual(order.slice(-9), ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  for (const name of ['a', 'b', 'c']) {
    assert.equal(results[name]!.rounds.length, 3);
    assert.ok(sizes.get(name)!.has(results[name]!.n), `${name} ran batches of its n`);
  }
});

test('a contender that times itself elsewhere is taken at its word: its milliseconds over n, in µs per operation', async () => {
  const results = await measureInterleaved({
    contenders: { remote: { timedElsewhere: async (n) => n * 0.002 } },
    rounds: 4,
    batchMs: 10,
    warmupMs: 0,
  });
  assert.equal(results.remote!.rounds.length, 4);
  for (const us of results.remote!.rounds) assert.ok(Math.abs(us - 2) < 1e-9, `${us} µs`);
  assert.ok(Math.abs(results.remote!.us - 2) < 1e-9);
  // The batch grew until it took about batchMs: 10 ms at 2 µs a call.
  assert.equal(results.remote!.n, 5000);
});

test('a ratio is the median of the per-round ratios, and an aborted measurement resolves with the rounds it finished', async () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(ratio({ us: 0, n: 1, rounds: [2, 9, 4] }, { us: 0, n: 1, rounds: [1, 3, 1] }), 3);

  const stop = new AbortController();
  const results = await measureInterleaved({
    contenders: { x: { timedElsewhere: async (n) => n * 0.001 } },
    rounds: 100,
    batchMs: 1,
    warmupMs: 0,
    onRound: (r) => r === 2 && stop.abort(),
    signal: stop.signal,
  });
  assert.equal(results.x!.rounds.length, 2);
});
