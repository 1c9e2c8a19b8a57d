/**
 * The spin budget in rounds: an idle or waiting agent spins about `spinUs` microseconds before it
 * parks. Counted in rounds, not read from the clock: `performance.now()` returns a fresh heap number,
 * and reading it in the idle loop made every idle worker allocate (a young GC every ~60,000 calls).
 *
 * Measured once per thread that starts domains (~10 ms the first time, while the loop is still
 * interpreted), and handed to the workers with their start: they run on the same cores.
 */

/** Spin rounds per microsecond on this machine, once measured. */
let roundsPerUs: number | undefined;

function measureRoundsPerUs(): number {
  // One spin round is a handful of Atomics loads; time a few thousand to learn rounds per µs. The
  // fastest of several tries counts: the first runs before the JIT has compiled the loop, and a round
  // timed there is many times slower than the real one (the spin would end far short of spinUs).
  // (A private buffer, not the domain's: this measures the machine, it shares nothing.)
  const probe = new Int32Array(new SharedArrayBuffer(64));
  const n = 20000;
  let best = Infinity;
  let sink = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += Atomics.load(probe, i & 7) + Atomics.load(probe, 8) + Atomics.load(probe, 9);
    best = Math.min(best, performance.now() - t0);
  }
  const us = Math.max(best * 1000, 1);
  return n / us / 3 + (sink & 0);
}

export function spinRoundsFor(spinUs: number): number {
  if (spinUs <= 0) return 0;
  roundsPerUs ??= measureRoundsPerUs();
  return Math.max(16, Math.round(spinUs * roundsPerUs));
}
