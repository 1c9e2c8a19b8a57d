/**
 * Allocation on the call path: heap growth and garbage collections over many inline `callSync`
 * calls. Run in a fresh Node process started with --expose-gc, so nothing else allocates meanwhile.
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { AllocationResult } from './messages.js';
import { startBenchDomain } from './smpcall-cases.js';

export async function measureAllocation(calls: number): Promise<AllocationResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the allocation run needs node --expose-gc');
  const d = await startBenchDomain(1);
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += d.callSync(1, 'add', i, 1); // warm: JIT, inline caches
  let minor = 0;
  let major = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind ?? (e as { kind?: number }).kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
      else major++;
    }
  });
  gc();
  gc();
  await new Promise((r) => setTimeout(r, 20));
  obs.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) sink += d.callSync(1, 'add', i, 1);
  const ms = performance.now() - t0;
  const after = process.memoryUsage().heapUsed;
  // GC entries are delivered in a later task.
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  gc();
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const youngBytes = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0;
  // The same calls again under V8's sampling heap profiler, which keeps the samples of objects already
  // collected too: what the call path itself allocates, whatever the loop, the JIT and the GC do.
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  for (let i = 0; i < calls; i++) sink += d.callSync(1, 'add', i, 1);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  await d.close();
  if (sink === 0) console.error('(checksum 0)');
  return { calls, heapGrowth: after - before, retained, minorGCs: minor, majorGCs: major, youngBytes, ms, callPathBytes: callPathBytes(profile.head) };
}

interface SampledNode {
  callFrame: { url: string };
  selfSize: number;
  children: SampledNode[];
}

/** Bytes sampled in smpcall's code (the library's modules, not the benchmark's) and what it calls. */
function callPathBytes(root: SampledNode): number {
  const library = (url: string): boolean => /\/dist\/(?!bench\/)/.test(url);
  let bytes = 0;
  const walk = (n: SampledNode, inside: boolean): void => {
    const here = inside || library(n.callFrame.url);
    if (here) bytes += n.selfSize;
    for (const c of n.children) walk(c, here);
  };
  walk(root, false);
  return bytes;
}
