/**
 * `npm run bench` / `smpcall bench`: run the case runner on each runtime in turn (never two at once:
 * they would share the cores), then the allocation figures in fresh Node processes, then the browser
 * session in headless Chromium, then write the markdown report, the raw results and the SVG charts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBrowserBench } from './browser/run.js';
import type { BrowserRun } from './browser/results.js';
import { CHARTS, renderSvg } from './charts.js';
import type { AllocationResult, WarmupResult } from './messages.js';
import { startProgress } from './progress.js';
import { goals, writeReport, type OtherPlacement } from './report.js';
import { loadHistory, placeRun, saveHistory } from './placements.js';
import { RUNTIME_DEFS, runRuntime, type RuntimeRun } from './runtimes.js';
import { BROWSER_SESSION, USAGE, parseSettings, runtimeSessions, settingsArgs, type Settings } from './settings.js';
import { loadHistograms } from './histogram.js';
import { runStartup } from './startup/run.js';

const RUNNER = fileURLToPath(new URL('./runner.js', import.meta.url));
const NODE_RUNTIMES = ['node20', 'node24'];
/** Fresh page loads of the browser session; each of its figures is the median over them. */
const BROWSER_LOADS = 3;

export async function runBench(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (argv.includes('--startup')) {
    const n = Number(argv[argv.indexOf('--startup') + 1]);
    return runStartup(Number.isInteger(n) && n > 0 ? n : 5);
  }
  let s;
  try {
    s = parseSettings(argv);
    await loadHistograms();
  } catch (e) {
    console.error(`smpcall bench: ${(e as Error).message} (smpcall bench --help)`);
    return 2;
  }
  const from = argv.includes('--from') ? argv[argv.indexOf('--from') + 1] : undefined;
  if (from) return rewrite(from, s.charts);
  const started = new Date();
  const out = s.out ?? join('bench', 'results', started.toISOString().slice(0, 10));
  mkdirSync(out, { recursive: true });
  // The runtimes (and their allocation figures) run only for a session of theirs: not for the browser alone.
  const runtimes = runtimeSessions(s).length > 0 ? s.runtimes : [];
  const allocRuntimes = s.allocationCalls > 0 ? runtimes.filter((r) => NODE_RUNTIMES.includes(r)) : [];
  const browser = s.sessions.includes(BROWSER_SESSION);
  console.log(
    `smpcall bench (${s.quick ? 'quick' : 'full'}): ${runtimes.join(', ') || 'no runtimes'}; sessions ${s.sessions.join(', ')}; ` +
      `${os.availableParallelism?.() ?? os.cpus().length} cores${allocRuntimes.length ? `; allocation on ${allocRuntimes.join(', ')}` : ''}`,
  );
  const UNIT = 1000;
  const allocAt = runtimes.length;
  const browserAt = allocAt + allocRuntimes.length * 0.2;
  const bar = await startProgress(UNIT * (browserAt + (browser ? 0.5 : 0)));
  const runs: RuntimeRun[] = [];
  const timeoutMs = (s.quick ? 90 : 200) * 1000 * Math.max(1, runtimeSessions(s).length / 6);
  for (let k = 0; k < runtimes.length; k++) {
    const def = RUNTIME_DEFS[runtimes[k]!]!;
    const run = await runRuntime(def, RUNNER, settingsArgs(s), {
      timeoutMs,
      onProgress: (f, label) => bar.update(UNIT * (k + f), `${def.label} ${label}`),
    });
    runs.push(run);
    bar.update(UNIT * (k + 1), `${def.label} done`);
  }
  const allocations = new Map<string, AllocationResult>();
  const failedAllocations = new Map<string, string>();
  const warmups = new Map<string, WarmupResult>();
  for (let k = 0; k < allocRuntimes.length; k++) {
    const def = RUNTIME_DEFS[allocRuntimes[k]!]!;
    bar.update(UNIT * (allocAt + k * 0.2), `${def.label} allocation`);
    const run = await runRuntime(def, RUNNER, ['--allocation', String(s.allocationCalls)], { timeoutMs: 120_000, flags: ['--expose-gc'] });
    const name = run.version ? `Node ${run.version}` : def.title;
    if (run.warmup) warmups.set(name, run.warmup);
    if (run.allocation) allocations.set(name, run.allocation);
    else failedAllocations.set(name, run.failed ?? 'no result');
  }
  let browserRun: BrowserRun | undefined;
  if (browser) {
    const onProgress = (f: number, label: string): void => bar.update(UNIT * (browserAt + 0.5 * f), `Chromium ${label}`);
    browserRun = await runBrowserBench({ rounds: s.rounds, batchMs: s.targetMs, warmupMs: s.warmMs, loads: BROWSER_LOADS, onProgress });
  }
  bar.update(UNIT * (browserAt + (browser ? 0.5 : 0)), 'report');
  const seconds = (Date.now() - started.getTime()) / 1000;
  // This run's floor-relative goals go into the placement history beside the results; the report
  // shows the other placement's as last recorded there.
  const historyFile = join(dirname(out), 'placements.json');
  const placed = placeRun(loadHistory(historyFile), goals(runs, allocations, warmups), started.toISOString().slice(0, 10));
  saveHistory(historyFile, placed.next);
  const saved: Saved = {
    settings: s,
    started: started.toISOString(),
    seconds,
    machine: thisMachine(),
    runs,
    allocations: Object.fromEntries(allocations),
    failedAllocations: Object.fromEntries(failedAllocations),
    warmups: Object.fromEntries(warmups),
    ...(browserRun ? { browser: browserRun } : {}),
    otherPlacement: Object.fromEntries(placed.other),
  };
  // Five significant digits are plenty for timings, and keep the file small.
  const round = (_: string, v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v);
  writeFileSync(join(out, 'results.json'), JSON.stringify(saved, round));
  const report = await writeAll(out, saved, s.charts);
  bar.stop();
  // The headline and goals, on the terminal too.
  const end = report.indexOf('\n## ', report.indexOf('## Goals') + 1);
  console.log('\n' + report.slice(report.indexOf('## Headline'), end < 0 ? undefined : end).trim());
  console.log(`\nreport: ${join(out, 'report.md')} (${seconds.toFixed(0)} s)`);
  // A runtime that failed is in the report; the run failed only if none produced anything (a browser
  // session skipped for want of Chromium is not a failure).
  const produced = runs.some((r) => r.sessions.length > 0) || (browserRun?.groups.length ?? 0) > 0;
  return produced || (runs.length === 0 && browserRun?.skipped) ? 0 : 1;
}

const thisMachine = (): Saved['machine'] => ({ cpu: os.cpus()[0]?.model ?? 'unknown CPU', cores: os.availableParallelism?.() ?? os.cpus().length, os: `${os.type()} ${os.release()}` });

/** What results.json holds: everything the report and the charts are made from. */
interface Saved {
  settings: Settings;
  started: string;
  seconds: number;
  machine: { cpu: string; cores: number; os: string };
  runs: RuntimeRun[];
  allocations: Record<string, AllocationResult>;
  failedAllocations: Record<string, string>;
  warmups?: Record<string, WarmupResult>;
  browser?: BrowserRun;
  /** Per goal, the last run at the other placement when this one ran (placements.ts). */
  otherPlacement?: Record<string, OtherPlacement>;
}

/** Write report.md and the charts from saved results; returns the report. */
async function writeAll(out: string, saved: Saved, drawCharts: boolean): Promise<string> {
  const runs = saved.runs;
  const charts: string[] = [];
  let chartsNote: string | undefined;
  if (drawCharts) {
    for (const [file, make] of CHARTS) {
      const spec = make(runs);
      if (!spec) continue;
      try {
        writeFileSync(join(out, file), await renderSvg(spec));
        writeFileSync(join(out, file.replace(/\.svg$/, '.vl.json')), JSON.stringify(spec, null, 1));
        charts.push(file);
      } catch (e) {
        chartsNote = `Charts not drawn: ${(e as Error).message.split('\n')[0]} (they need vega and vega-lite: npm i -D vega vega-lite).`;
        break;
      }
    }
  }
  const report = writeReport({
    settings: saved.settings,
    started: new Date(saved.started),
    seconds: saved.seconds,
    machine: saved.machine,
    runs,
    allocations: new Map(Object.entries(saved.allocations)),
    failedAllocations: new Map(Object.entries(saved.failedAllocations)),
    warmups: new Map(Object.entries(saved.warmups ?? {})),
    ...(saved.browser ? { browser: saved.browser } : {}),
    otherPlacement: new Map(Object.entries(saved.otherPlacement ?? {})),
    charts,
    ...(chartsNote ? { chartsNote } : {}),
  });
  writeFileSync(join(out, 'report.md'), report + '\n');
  return report;
}

/** `--from DIR`: write the report and charts again from DIR/results.json (after a change to them). */
async function rewrite(dir: string, drawCharts: boolean): Promise<number> {
  const saved = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Saved;
  // Results written before the machine was saved: this machine.
  saved.machine ??= thisMachine();
  saved.failedAllocations ??= {};
  await writeAll(dir, saved, drawCharts);
  console.log(`report: ${join(dir, 'report.md')} (rewritten from results.json)`);
  return 0;
}
