/**
 * The warm-up figures: the first 1,000 calls after `start()` against the same calls once warm. What
 * makes the first ones slow is not only the JIT: a target that parks between calls it should have
 * polled for pays a futex wake on every call (issue 18's "warm-up cliff"). Each kind is measured on a
 * domain of its own, started just before, so each is a worker's first calls.
 */
import type { WarmupResult } from './messages.js';
import { startBenchDomain, type BenchDomain } from './smpcall-cases.js';

const STEADY_WARM = 20_000;

async function awaited(d: BenchDomain, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await d.call(1, 'add', i, 1);
  return ((performance.now() - t0) * 1000) / n;
}

function blocking(d: BenchDomain, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) d.callSync(1, 'add', i, 1);
  return ((performance.now() - t0) * 1000) / n;
}

export async function measureWarmup(calls: number): Promise<WarmupResult> {
  const a = await startBenchDomain(1);
  const firstCallUs = await awaited(a, calls);
  await awaited(a, STEADY_WARM);
  const steadyCallUs = await awaited(a, calls);
  await a.close();
  const b = await startBenchDomain(1);
  const firstSyncUs = blocking(b, calls);
  blocking(b, STEADY_WARM);
  const steadySyncUs = blocking(b, calls);
  await b.close();
  return { calls, firstCallUs, steadyCallUs, firstSyncUs, steadySyncUs };
}
