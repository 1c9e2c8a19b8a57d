/**
 * smpcall/sync against synckit, side by side in one process: the same worker functions (an echo, and
 * prettier's async `format`), each called synchronously, in interleaved rounds; medians per call.
 *
 *   node dist-test/examples/synckit-style/compare.js [rounds]
 *
 * Or import `compareSync` (the benchmark does). Run from the repository (the worker files are the .js
 * files of examples/synckit-style, which the build does not copy).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSyncFn as smpcallSyncFn } from 'smpcall/sync';
import { createSyncFn as synckitSyncFn } from 'synckit';

export interface SyncSide {
  /** Microseconds per echo round trip (median over rounds). */
  echoUs: number;
  /** Microseconds per prettier format of the sample source (median over rounds). */
  formatUs: number;
  /** Milliseconds for createSyncFn plus the first call (the worker starting), once per process. */
  firstCallMs: number;
}

export interface SyncComparison {
  rounds: number;
  echoCalls: number;
  formatCalls: number;
  sourceBytes: number;
  smpcall: SyncSide;
  synckit: SyncSide;
  /** synckit's time divided by smpcall's: how many times faster smpcall/sync is. */
  speedup: { echo: number; format: number };
}

export interface CompareOptions {
  /** Interleaved rounds (default 7). */
  rounds?: number;
  /** Echo calls per round and side (default 2000). */
  echoCalls?: number;
  /** Format calls per round and side (default 20). */
  formatCalls?: number;
}

// The build puts this file in dist-test/examples/synckit-style/; the workers stay in examples/.
const here = new URL('../../../examples/synckit-style/', import.meta.url);
const path = (f: string): string => fileURLToPath(new URL(f, here));

/** A small, badly formatted module: what a format-on-lint call typically sees. */
export const SAMPLE_SOURCE = Array.from(
  { length: 12 },
  (_, i) => `const item${i} = {id:${i},name:'item ${i}',tags:['a','b'],nested:{ok:true,count:${i * 3}}}\nfunction use${i} ( x ){ if(x>${i}){return item${i}.nested.count+x} else {return [item${i}.id,x].map(v=>v*2)} }\n`,
).join('');

type Echo = (x: number) => Promise<number>;
type Format = (source: string, options: { parser: string }) => Promise<string>;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

function timed(n: number, f: () => unknown): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - t) * 1000) / n;
}

function first(make: () => (...a: never[]) => unknown, call: (f: never) => unknown): number {
  const t = performance.now();
  call(make() as never);
  return performance.now() - t;
}

/** Measure both libraries on the same workers, interleaved; synchronous, leaves nothing running. */
export function compareSync(options: CompareOptions = {}): SyncComparison {
  const rounds = options.rounds ?? 7;
  const echoCalls = options.echoCalls ?? 2000;
  const formatCalls = options.formatCalls ?? 20;
  const fmt = { parser: 'babel' };
  const firstCall = {
    smpcall: first(() => smpcallSyncFn<Echo>(path('compare/echo.smpcall.js')), (f: (x: number) => number) => f(1)),
    synckit: first(() => synckitSyncFn<Echo>(path('compare/echo.synckit.js')), (f: (x: number) => number) => f(1)),
  };
  const ours: { echo: (x: number) => number; format: (s: string, o: { parser: string }) => string } = {
    echo: smpcallSyncFn<Echo>(path('compare/echo.smpcall.js')),
    format: smpcallSyncFn<Format>(path('worker.js')),
  };
  const theirs: typeof ours = {
    echo: synckitSyncFn<Echo>(path('compare/echo.synckit.js')),
    format: synckitSyncFn<Format>(path('compare/format.synckit.js')),
  };
  // Warm both: prettier loads its parser on the first format.
  if (ours.format(SAMPLE_SOURCE, fmt) !== theirs.format(SAMPLE_SOURCE, fmt)) throw new Error('the two sides format differently');
  const samples = { smpcall: { echo: [] as number[], format: [] as number[] }, synckit: { echo: [] as number[], format: [] as number[] } };
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so neither always runs on a warmer (or busier) machine.
    const order = r % 2 === 0 ? (['smpcall', 'synckit'] as const) : (['synckit', 'smpcall'] as const);
    for (const side of order) {
      const f = side === 'smpcall' ? ours : theirs;
      samples[side].echo.push(timed(echoCalls, () => f.echo(r)));
    }
    for (const side of order) {
      const f = side === 'smpcall' ? ours : theirs;
      samples[side].format.push(timed(formatCalls, () => f.format(SAMPLE_SOURCE, fmt)));
    }
  }
  const side = (s: 'smpcall' | 'synckit'): SyncSide => ({ echoUs: median(samples[s].echo), formatUs: median(samples[s].format), firstCallMs: firstCall[s] });
  const smpcall = side('smpcall');
  const synckit = side('synckit');
  return {
    rounds,
    echoCalls,
    formatCalls,
    sourceBytes: SAMPLE_SOURCE.length,
    smpcall,
    synckit,
    speedup: { echo: synckit.echoUs / smpcall.echoUs, format: synckit.formatUs / smpcall.formatUs },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rounds = Number(process.argv[2] ?? 7);
  const c = compareSync({ rounds });
  const row = (name: string, a: string, b: string, x: string): string => `${name.padEnd(28)}${a.padStart(14)}${b.padStart(14)}${x.padStart(10)}`;
  console.log(`smpcall/sync vs synckit, ${c.rounds} interleaved rounds, medians (prettier source: ${c.sourceBytes} bytes)`);
  console.log(row('', 'smpcall/sync', 'synckit', 'speedup'));
  console.log(row('echo round trip (µs)', c.smpcall.echoUs.toFixed(1), c.synckit.echoUs.toFixed(1), `${c.speedup.echo.toFixed(1)}x`));
  console.log(row('prettier format (µs)', c.smpcall.formatUs.toFixed(0), c.synckit.formatUs.toFixed(0), `${c.speedup.format.toFixed(2)}x`));
  console.log(row('first call, worker start (ms)', c.smpcall.firstCallMs.toFixed(0), c.synckit.firstCallMs.toFixed(0), ''));
}
