/**
 * `smpcall check`: run the deterministic model checker.
 *
 *   smpcall check                          every scenario (exhaustive for 2 agents, bounded + PCT for 3),
 *                                          the 2009 variant, and every mutant
 *   smpcall check --list                   scenarios and mutants
 *   smpcall check --scenario NAME [--mode exhaustive|pct|random] [--schedules N] [--depth D]
 *                 [--preemptions K] [--seed S]
 *   smpcall check --variant lock2009 [--fixed]      the 2009 lock handoff (and its one-line fix)
 *   smpcall check --mutants | --mutant NAME         broken protocols the checker must catch
 *   smpcall check --scenario NAME --replay SCHEDULE [--mutant NAME] [--fixed]
 */
import { CheckCrashed, exhaustive, pct, randomSearch, replay, decodeSchedule, type Report } from './explore.js';
import { formatTrace } from './trace.js';
import { byName, scenarios, variantScenarios } from './scenarios.js';
import { mutantByName, mutants, type Mutant } from './mutants.js';
import { loadTwin, type Twin } from './twin-modules.js';
import { CompilerUnavailable, TwinBuildError, type Patch } from './twin.js';
import { CliUsageError, parseOptions, type OptionSpec } from '../cli-options.js';
import type { Scenario } from './world.js';

/** The one change that removes the 2009 deadlock. */
export const FIX_2009: Patch = { file: 'lock2009.ts', find: 'const SERVE_WHILE_WAITING = false;', replace: 'const SERVE_WHILE_WAITING = true;' };

interface Args {
  [k: string]: string | boolean | undefined;
}

/** What each option of `smpcall check` takes. */
const OPTIONS: Record<string, OptionSpec> = {
  '--help': 'flag',
  '-h': 'flag',
  '--list': 'flag',
  '--full': 'flag',
  '--fixed': 'flag',
  '--mutants': 'flag',
  '--scenario': 'text',
  '--variant': 'text',
  '--mutant': 'text',
  '--replay': 'text',
  '--mode': { oneOf: ['exhaustive', 'pct', 'random'] },
  '--schedules': { min: 1, whole: true },
  '--depth': { min: 1, whole: true },
  '--preemptions': { min: 0, whole: true },
  '--seed': { min: 0, whole: true },
};

/** The options given, by name without dashes (a flag is true). */
function parse(argv: string[]): Args {
  const out: Args = {};
  for (const [k, v] of parseOptions(argv, OPTIONS)) out[k.replace(/^-+/, '')] = v === '' ? true : v;
  return out;
}

const num = (v: string | boolean | undefined, d: number): number => (typeof v === 'string' && v !== '' ? Number(v) : d);

export function describe(r: Report): string {
  const states = r.states ? `, ${r.states} states` : '';
  const cut = r.cut ? `, ${r.cut} cut at the step bound` : '';
  const verdict = r.failure ? `FAILED: ${r.failure.problems[0]}` : 'no counterexample';
  return `${r.scenario.padEnd(18)} ${r.mode}: ${r.schedules} schedules${states}${cut}, ${(r.ms / 1000).toFixed(2)} s: ${verdict}`;
}

/**
 * Default exploration for a scenario: its own `search` (a preemption bound, then PCT), else every
 * schedule for 2 agents, and a bound of 2 preemptions plus PCT for more.
 */
export function checkScenario(s: Scenario, P: Twin, args: Args = {}): Report[] {
  const mode = typeof args.mode === 'string' ? args.mode : undefined;
  const seed = num(args.seed, 1);
  const pctSchedules = num(args.schedules, s.search?.pct ?? 10000);
  if (mode === 'pct') return [pct(s, P, { schedules: pctSchedules, seed, depth: num(args.depth, 3) })];
  if (mode === 'random') return [randomSearch(s, P, { schedules: pctSchedules, seed })];
  const bound = args.preemptions !== undefined ? num(args.preemptions, 2) : (s.search?.preemptions ?? (s.agents <= 2 ? undefined : 2));
  if (mode === 'exhaustive' || bound === undefined) return [exhaustive(s, P, bound === undefined ? {} : { preemptions: bound })];
  const reports = [exhaustive(s, P, { preemptions: bound })];
  if (!reports[0]!.failure) reports.push(pct(s, P, { schedules: pctSchedules, seed, depth: num(args.depth, 3) }));
  return reports;
}

/**
 * The 2009 variant: its deadlock shows up on the first schedules; the fixed variant (which parks and
 * is woken on every lane change) has too many states to enumerate, so it gets a preemption-bounded
 * search (loom's advice: 2-3 catches most bugs) plus PCT.
 */
export function checkVariant(s: Scenario, P: Twin, fixed: boolean, args: Args = {}): Report[] {
  if (!fixed) return [exhaustive(s, P)];
  const out = [exhaustive(s, P, { preemptions: num(args.preemptions, 3) })];
  if (!out[0]!.failure) out.push(pct(s, P, { schedules: num(args.schedules, 20000), seed: num(args.seed, 1), depth: num(args.depth, 3) }));
  return out;
}

/**
 * Run a mutant on its scenarios; caught when any finds a counterexample. A mutant that does not
 * compile, or crashes the checked code (an engine error), is an error of the tool or the patch: it
 * throws, and is never counted as caught.
 */
export async function checkMutant(m: Mutant): Promise<Report | undefined> {
  const P = await loadTwin(m.patches);
  for (const name of m.scenarios) {
    const s = byName(name);
    if (!s) throw new Error(`mutant ${m.name} names unknown scenario ${name}`);
    for (const r of checkScenario(s, P, { schedules: '5000' })) if (r.failure) return r;
  }
  return undefined;
}

const TOOL_ERROR = Symbol('tool error');

/** `checkMutant`, with a patch that does not build or crashes the checked code said as what it is. */
async function checkMutantOrToolError(m: Mutant): Promise<Report | undefined | typeof TOOL_ERROR> {
  try {
    return await checkMutant(m);
  } catch (e) {
    const kind = e instanceof TwinBuildError ? 'does not compile' : e instanceof CheckCrashed ? 'crashes the checked code' : 'failed in the tool';
    console.log(`mutant ${m.name.padEnd(24)} ERROR of the tool, not a finding: the patched protocol ${kind}: ${(e as Error).message.split('\n')[0]}`);
    return TOOL_ERROR;
  }
}

function printFailure(r: Report, full: boolean): void {
  const f = r.failure!;
  console.log(`\n  counterexample in ${r.scenario} (${r.mode}), ${f.schedule.length} steps:`);
  for (const p of f.problems) console.log(`    - ${p}`);
  console.log(
    formatTrace(f, full ? {} : { last: 40 })
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
}

export async function runCheck(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    console.error(`smpcall check: ${e.message} (smpcall check --help)`);
    return 2;
  }
  try {
    return await check(args);
  } catch (e) {
    if (!(e instanceof CompilerUnavailable)) throw e;
    console.error(`smpcall check: ${e.message}`);
    return 1;
  }
}

async function check(args: Args): Promise<number> {
  if (args.help || args.h) {
    console.log('usage: smpcall check [--list] [--scenario NAME] [--mode exhaustive|pct|random] [--schedules N] [--depth D]');
    console.log('                     [--preemptions K] [--seed S] [--variant lock2009 [--fixed]] [--mutants | --mutant NAME]');
    console.log('                     [--replay SCHEDULE] [--full]');
    return 0;
  }
  if (args.list) {
    console.log('scenarios:');
    for (const s of [...scenarios, ...variantScenarios]) console.log(`  ${s.name.padEnd(18)} ${s.agents} agents  ${s.about}`);
    console.log('mutants:');
    for (const m of mutants) console.log(`  ${m.name.padEnd(24)} ${m.about}`);
    return 0;
  }
  const full = args.full === true;
  const mutant = typeof args.mutant === 'string' ? mutantByName(args.mutant) : undefined;
  if (typeof args.mutant === 'string' && !mutant) {
    console.error(`unknown mutant "${args.mutant}" (smpcall check --list)`);
    return 2;
  }

  if (typeof args.replay === 'string') {
    const s = byName(String(args.scenario));
    if (!s) {
      console.error('--replay needs --scenario NAME');
      return 2;
    }
    const patches = [...(mutant?.patches ?? []), ...(args.fixed ? [FIX_2009] : [])];
    const P = await loadTwin(patches, s.variant);
    const out = replay(s, P, decodeSchedule(args.replay));
    console.log(`replay of ${s.name}: ${out.kind}${out.problems.length ? `: ${out.problems.join('; ')}` : ''}`);
    console.log(formatTrace(out));
    return out.kind === 'ok' ? 0 : 1;
  }

  if (args.mutants || mutant) {
    const list = mutant ? [mutant] : mutants;
    let missed = 0;
    for (const m of list) {
      const r = await checkMutantOrToolError(m);
      if (r === TOOL_ERROR) missed++;
      else if (r) {
        console.log(`mutant ${m.name.padEnd(24)} caught by ${r.scenario} (${r.mode}) after ${r.schedules} schedule(s), ${(r.ms / 1000).toFixed(2)} s: ${r.failure!.problems[0]}`);
        if (mutant) printFailure(r, full);
      } else {
        missed++;
        console.log(`mutant ${m.name.padEnd(24)} NOT CAUGHT`);
      }
    }
    return missed ? 1 : 0;
  }

  if (typeof args.variant === 'string') {
    const fixed = args.fixed === true;
    const P = await loadTwin(fixed ? [FIX_2009] : [], args.variant);
    let failed = 0;
    for (const s of variantScenarios.filter((v) => v.variant === args.variant)) {
      for (const r of checkVariant(s, P, fixed, args)) {
        console.log(`${fixed ? '[fixed] ' : '[2009]  '}${describe(r)}`);
        if (r.failure) {
          failed++;
          printFailure(r, full);
        }
      }
    }
    // Without the fix a deadlock is the expected answer; with it, none.
    return fixed ? (failed ? 1 : 0) : failed ? 0 : 1;
  }

  const P = await loadTwin();
  const list = typeof args.scenario === 'string' && args.scenario !== 'all' ? [byName(args.scenario)].filter((s): s is Scenario => !!s && !s.variant) : scenarios;
  if (list.length === 0) {
    console.error(`unknown scenario "${String(args.scenario)}" (smpcall check --list)`);
    return 2;
  }
  let failed = 0;
  for (const s of list) {
    for (const r of checkScenario(s, P, args)) {
      console.log(describe(r));
      if (r.failure) {
        failed++;
        printFailure(r, full);
      }
    }
  }
  if (typeof args.scenario !== 'string') {
    console.log('\nthe 2009 lock handoff, and the one change that fixes it:');
    for (const fixed of [false, true]) {
      const V = await loadTwin(fixed ? [FIX_2009] : [], 'lock2009');
      for (const s of variantScenarios) {
        const reports = checkVariant(s, V, fixed, args);
        for (const r of reports) console.log(`${fixed ? '[fixed] ' : '[2009]  '}${describe(r)}`);
        const found = reports.some((r) => r.failure);
        if (fixed && found) failed++;
        if (!fixed && !found) failed++;
      }
    }
    console.log('\nmutants (each must be caught):');
    for (const m of mutants) {
      const r = await checkMutantOrToolError(m);
      if (r === TOOL_ERROR) failed++;
      else {
        console.log(`  ${m.name.padEnd(24)} ${r ? `caught by ${r.scenario} after ${r.schedules} schedule(s), ${(r.ms / 1000).toFixed(2)} s: ${r.failure!.problems[0]}` : 'NOT CAUGHT'}`);
        if (!r) failed++;
      }
    }
  }
  return failed ? 1 : 0;
}
