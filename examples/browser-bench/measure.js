// Side-by-side timing for a noisy machine, in plain browser JavaScript (it also runs in Node, Deno
// and Bun: it needs only performance.now()).
//
//   const results = await measureInterleaved({
//     contenders: {
//       smpcall: async (n) => { for (let i = 0; i < n; i++) await domain.call(1, 'add', i, 1); },
//       postMessage: async (n) => { for (let i = 0; i < n; i++) await echo(i); },
//       floor: { timedElsewhere: (n) => floorWorker.run(n) }, // resolves to the batch's milliseconds
//     },
//     rounds: 12, batchMs: 20, warmupMs: 300,
//     onRound: (round, results) => show(results),
//     signal, // optional AbortSignal: stop after the current round, resolving with what was measured
//   });
//   results.smpcall.us;                          // median µs per operation over the rounds
//   ratio(results.smpcall, results.postMessage); // median over rounds of smpcall's time / postMessage's
//
// A contender is a batch: `n` operations one after another. A plain function is timed here, around
// the (awaited) call; `{ timedElsewhere }` times itself (in a worker, say) and resolves to its
// milliseconds, so the messages that start and end the batch are not counted.
//
// Each contender first warms up for at least `warmupMs` (JIT tiers, and spinning that settles only
// once both threads run optimized code), growing its batch until one takes about `batchMs`: that is
// its `n`, fixed from then on (a timer that ticks every 5 µs, as a cross-origin isolated page's does,
// is then precise to a few parts in ten thousand). Then `rounds` interleaved rounds: every contender
// runs one batch per round, in an order rotated each round so that no contender always follows the
// same neighbour. Both sides of a ratio are measured within moments of each other, in every round.

/** Median of a list of numbers (NaN for an empty one). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median over rounds of a's time over b's (< 1: a is faster), from two results of one measurement. */
export function ratio(a, b) {
  const n = Math.min(a.rounds.length, b.rounds.length);
  return median(Array.from({ length: n }, (_, r) => a.rounds[r] / b.rounds[r]));
}

const MAX_BATCH = 1 << 22;

/** Milliseconds one batch of `n` took. */
function timer(contender) {
  if (typeof contender === 'function') {
    return async (n) => {
      const t0 = performance.now();
      await contender(n);
      return performance.now() - t0;
    };
  }
  if (typeof contender?.timedElsewhere === 'function') return contender.timedElsewhere;
  throw new TypeError('measureInterleaved: a contender is a function (n) => ... or { timedElsewhere: (n) => milliseconds }');
}

/** Warm up for at least `warmupMs`, then choose `n` so that one batch takes about `batchMs`. */
async function calibrate(run, batchMs, warmupMs) {
  const start = performance.now();
  let n = 1;
  for (;;) {
    const ms = await run(n);
    const warm = performance.now() - start >= warmupMs;
    // Grow while the batch is short; past a quarter of the target, repeat it until warm.
    if ((ms >= batchMs / 4 || n >= MAX_BATCH) && warm) return Math.max(1, Math.min(MAX_BATCH, Math.round((n * batchMs) / Math.max(ms, 1e-3))));
    if (ms < batchMs / 4 && n < MAX_BATCH) n *= 4;
  }
}

const summary = (list) => Object.fromEntries(list.map((x) => [x.name, { us: median(x.rounds), n: x.n, rounds: [...x.rounds] }]));

/**
 * Measure `contenders` ({ name: batch }) side by side. Resolves to { name: { us, n, rounds } }: the
 * median µs per operation, the batch size, and each round's µs per operation (in round order).
 */
export async function measureInterleaved({ contenders, rounds = 12, batchMs = 20, warmupMs = 300, onRound, signal }) {
  const list = Object.entries(contenders).map(([name, c]) => ({ name, run: timer(c), n: 0, rounds: [] }));
  for (const x of list) {
    if (signal?.aborted) return summary(list);
    x.n = await calibrate(x.run, batchMs, warmupMs);
  }
  for (let r = 0; r < rounds && !signal?.aborted; r++) {
    for (let k = 0; k < list.length; k++) {
      const x = list[(k + r) % list.length];
      x.rounds.push(((await x.run(x.n)) * 1000) / x.n);
    }
    onRound?.(r + 1, summary(list));
  }
  return summary(list);
}
