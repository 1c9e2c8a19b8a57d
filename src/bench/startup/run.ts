/**
 * `smpcall bench --startup`: how long from nothing loaded to the first result, smpcall beside synckit,
 * each case in a fresh Node process, the cases interleaved round by round (so a busy moment of the
 * machine hits them alike), the median of `rounds` per case.
 *
 * The breakdown of smpcall's start, from the same run: the main thread's module load (`imported`),
 * the worker thread's own start (the floor "one thread": on Node the main thread is the parent of its
 * agents, runtime/node-direct.ts), and the rest: the calls module and the call table on both threads,
 * the memory, the agent's attach, the first call. ("A thread started by a thread" is what a guardian
 * thread costs, on Deno and Bun, where it is the agents' parent.)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));
const CASES = ['smpcall', 'smpcall/sync', 'synckit', 'one thread', 'a thread started by a thread'] as const;

interface Sample {
  imported: number;
  ready: number;
  first: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

export function runStartup(rounds: number, log: (line: string) => void = console.log): number {
  const samples = new Map<string, Sample[]>(CASES.map((c) => [c, []]));
  const failed = new Map<string, string>();
  for (let r = 0; r < rounds; r++) {
    for (const c of CASES) {
      if (failed.has(c)) continue;
      try {
        const out = execFileSync(process.execPath, [PROBE, c], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
        samples.get(c)!.push(JSON.parse(out.trim().split('\n').pop()!) as Sample);
      } catch (e) {
        failed.set(c, ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n')[0]!);
      }
    }
  }
  const med = (c: string, k: keyof Sample): number => median(samples.get(c)!.map((s) => s[k]));
  const synckit = samples.get('synckit')!.length > 0 ? med('synckit', 'first') : undefined;
  log(`\nStart-up: from nothing loaded to the first result (Node ${process.version}, median of ${rounds} fresh processes per case, interleaved)\n`);
  log('| case | modules loaded | ready | first result | vs synckit |');
  log('|---|---:|---:|---:|---:|');
  for (const c of CASES) {
    if (failed.has(c)) {
      log(`| ${c} | failed: ${failed.get(c)} | | | |`);
      continue;
    }
    const first = med(c, 'first');
    const vs = synckit === undefined || c.includes('thread') ? '' : `${(first / synckit).toFixed(2)}×`;
    log(`| ${c} | ${c.includes('thread') ? '' : ms(med(c, 'imported'))} | ${ms(med(c, 'ready'))} | ${ms(first)} | ${vs} |`);
  }
  if (samples.get('smpcall')!.length > 0 && samples.get('one thread')!.length > 0) {
    const imported = med('smpcall', 'imported');
    const threads = med('one thread', 'first');
    const first = med('smpcall', 'first');
    log(`\nsmpcall's start, broken down: modules on the main thread ${ms(imported)}; the worker thread's start ${ms(threads)}; ` +
      `the rest (the calls module and table on both threads, the memory, the agent's attach, the first call) ${ms(Math.max(0, first - imported - threads))}.`);
  }
  return failed.size > 0 ? 1 : 0;
}
