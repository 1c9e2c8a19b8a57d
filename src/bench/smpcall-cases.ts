/**
 * smpcall's own cases, over a started domain: callSync (of a plain and of an async function), call, post, pipelined call and onEach from
 * the main thread; the same from a worker; round robin over more agents than cores.
 */
import { start, type Domain } from '../index.js';
import { asyncCase, pipelinedCase, syncCase, type Case } from './cases.js';
import type calls from './calls.js';

export type BenchDomain = Domain<typeof calls>;

export const startBenchDomain = (workers: number, bigArena = 4 << 20): Promise<BenchDomain> =>
  start<typeof calls>({ workers, calls: new URL('./calls.js', import.meta.url), bigArena });

export interface Baselines {
  floor: string;
  ref: string;
}

/** Main thread → worker 1 (polling): callSync, call, post, pipelined call; onEach to every agent. */
export function mainThreadCases(d: BenchDomain, sync: Baselines, async: Baselines, pipelined: Baselines, broadcast: Baselines): Case[] {
  return [
    syncCase({ id: 'smpcall.callSync', label: 'smpcall callSync', system: 'smpcall', kind: 'sync', ...sync }, (i) => d.callSync(1, 'add', i, 1)),
    syncCase({ id: 'smpcall.callSync.async', label: 'smpcall callSync of an async function', system: 'smpcall', kind: 'sync', ...sync }, (i) => d.callSync(1, 'addAsync', i, 1)),
    asyncCase({ id: 'smpcall.call', label: 'smpcall call (await each)', system: 'smpcall', kind: 'async', ...async }, (i) => d.call(1, 'add', i, 1)),
    {
      id: 'smpcall.post',
      label: 'smpcall post (fire and forget)',
      system: 'smpcall',
      kind: 'post',
      ...async,
      batch(n) {
        for (let i = 0; i < n; i++) d.post(1, 'noop');
        // Calls from one caller to one target run in order: this returns once every post has run.
        d.callSync(1, 'noop');
      },
      one: () => d.post(1, 'noop'),
    },
    pipelinedCase({ id: 'smpcall.pipelined', label: 'smpcall call, pipelined', system: 'smpcall', ...pipelined }, (i) => d.call(1, 'add', i, 1)),
    asyncCase({ id: 'smpcall.onEach', label: `smpcall onEach (${d.size} agents)`, system: 'smpcall', kind: 'broadcast', ...broadcast }, () => d.onEach('noop')),
  ];
}

/** Round robin over every worker (for more agents than cores). */
export function roundRobinCases(d: BenchDomain, sync: Baselines, async: Baselines): Case[] {
  const w = d.workers;
  return [
    syncCase({ id: 'smpcall.rr.callSync', label: `smpcall callSync, round robin over ${w} workers`, system: 'smpcall', kind: 'sync', ...sync }, (i) =>
      d.callSync(1 + (i % w), 'add', i, 1),
    ),
    asyncCase({ id: 'smpcall.rr.call', label: `smpcall call, round robin over ${w} workers`, system: 'smpcall', kind: 'async', ...async }, (i) =>
      d.call(1 + (i % w), 'add', i, 1),
    ),
  ];
}

/** The caller is a worker: agent 1 calls agent `target` (timed inside agent 1). */
export function workerCallerCase(d: BenchDomain, target: number, base: Partial<Baselines>): Case {
  const to = target === 0 ? 'main thread' : `worker ${target}`;
  return {
    id: `smpcall.worker-to-${target}`,
    label: `smpcall callSync, worker 1 → ${to}`,
    system: 'smpcall',
    kind: 'sync',
    ...base,
    batch: (n) => d.callSync(1, 'loopSync', target, n),
    timedElsewhere: { samples: (n) => d.callSync(1, 'samplesSync', target, n) },
  };
}
