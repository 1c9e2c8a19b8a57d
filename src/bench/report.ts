/**
 * The markdown report: the headline (smpcall against the floor and each peer, per runtime), the
 * goals met or not, then every session's table, payload sizes and allocation figures.
 */
import { median } from '../demo/measure.js';
import { browserHeadline, browserSection } from './browser/report.js';
import type { BrowserRun } from './browser/results.js';
import { fmtBytes, fmtRate, fmtSpeedup, fmtUs, fmtX, table } from './format.js';
import type { AllocationResult, CaseResult, SessionResult, WarmupResult } from './messages.js';
import { sizeLabel } from './payloads.js';
import type { RuntimeRun } from './runtimes.js';
import type { Settings } from './settings.js';
import { NEAR_FLOOR_US, placementLabel, placementOf, type GoalSeen, type Placement } from './placements.js';

/** Median over rounds of b/a: how many times `a` is faster than `b` (measured side by side). */
export function speedup(a: CaseResult, b: CaseResult): number {
  const n = Math.min(a.rounds.length, b.rounds.length);
  if (n === 0) return NaN;
  return median(Array.from({ length: n }, (_, r) => b.rounds[r]! / a.rounds[r]!));
}
/** a's time over the floor's (1.0 is the floor). */
export const timesFloor = (a: CaseResult, floor: CaseResult): number => 1 / speedup(a, floor);

const find = (s: SessionResult | undefined, id: string): CaseResult | undefined => s?.cases.find((c) => c.id === id && !c.failed && c.rounds.length > 0);
export const sessionOf = (run: RuntimeRun, name: string): SessionResult | undefined => run.sessions.find((s) => s.name === name);
export const runtimeName = (run: RuntimeRun): string => (run.version ? `${run.runtime} ${run.version}` : run.title);

export const PEERS = ['postMessage', 'synckit', 'comlink', 'piscina', 'tinypool', 'workerpool'] as const;

/** The four headline measures: smpcall's case and, per peer, the peer's case of the same kind. */
export const HEADLINE: { measure: string; short: string; smpcall: string; peers: Partial<Record<(typeof PEERS)[number], string>>; rate?: boolean }[] = [
  {
    measure: 'sync round trip (callSync)',
    short: 'sync round trip',
    smpcall: 'smpcall.callSync',
    peers: { postMessage: 'postMessage.rtt', synckit: 'synckit.sync', comlink: 'comlink.rtt', piscina: 'piscina.rtt', tinypool: 'tinypool.rtt', workerpool: 'workerpool.rtt' },
  },
  {
    measure: 'async round trip (call)',
    short: 'async round trip',
    smpcall: 'smpcall.call',
    peers: { postMessage: 'postMessage.rtt', synckit: 'synckit.sync', comlink: 'comlink.rtt', piscina: 'piscina.rtt', tinypool: 'tinypool.rtt', workerpool: 'workerpool.rtt' },
  },
  {
    measure: 'pipelined call throughput',
    short: 'pipelined call',
    smpcall: 'smpcall.pipelined',
    rate: true,
    peers: { postMessage: 'postMessage.pipelined', comlink: 'comlink.pipelined', piscina: 'piscina.pipelined', tinypool: 'tinypool.pipelined', workerpool: 'workerpool.pipelined' },
  },
  { measure: 'broadcast (onEach vs postMessage to each worker)', short: 'broadcast (onEach)', smpcall: 'smpcall.onEach', peers: { postMessage: 'postMessage.broadcast' } },
];

function headline(runs: RuntimeRun[]): string {
  const rows: string[][] = [];
  for (const run of runs) {
    const s = sessionOf(run, 'main');
    const floor = find(s, 'floor.spin');
    let first = true;
    if (!s || !floor) {
      rows.push([runtimeName(run), run.failed ? `failed: ${run.failed}` : 'no main session', ...Array(PEERS.length + 2).fill('')]);
      continue;
    }
    for (const h of HEADLINE) {
      const me = find(s, h.smpcall);
      if (!me) continue;
      const vsPeer = PEERS.map((p) => {
        const other = h.peers[p] ? find(s, h.peers[p]!) : undefined;
        return other ? fmtSpeedup(speedup(me, other)) : '';
      });
      rows.push([first ? runtimeName(run) : '', h.measure, h.rate ? fmtRate(me.us) : fmtUs(me.us), fmtX(timesFloor(me, floor)), ...vsPeer]);
      first = false;
    }
  }
  return table(['runtime', 'measure', 'smpcall', '× floor', ...PEERS.map((p) => `vs ${p}`)], rows, ['l', 'l', 'r', 'r', ...PEERS.map(() => 'r' as const)]);
}

export interface Goal {
  what: string;
  value: string;
  met: boolean | undefined;
  /** The spin floor of the run that measured it (µs): its placement (placements.ts). */
  floorUs?: number;
}

export function goals(runs: RuntimeRun[], allocations: Map<string, AllocationResult>, warmups: Map<string, WarmupResult>): Goal[] {
  const out: Goal[] = [];
  for (const run of runs) {
    const s = sessionOf(run, 'main');
    const floor = find(s, 'floor.spin');
    const at = out.length;
    const sync = find(s, 'smpcall.callSync');
    const awaited = find(s, 'smpcall.call');
    const asyncFn = find(s, 'smpcall.callSync.async');
    const name = runtimeName(run);
    if (floor && sync) {
      // Each figure with the floor it is divided by: the floor moves with where the host puts the
      // two threads (cores sharing a cache or not), and so does every ratio to it.
      const onFloor = `floor ${fmtUs(floor.us)}`;
      const x = timesFloor(sync, floor);
      out.push({ what: `${name}: callSync ≤ 2x the spin floor`, value: `${fmtX(x)} (${fmtUs(sync.us)}; ${onFloor})`, met: x <= 2 });
      if (awaited) {
        const y = timesFloor(awaited, floor);
        out.push({ what: `${name}: awaited call ≤ 4x the spin floor`, value: `${fmtX(y)} (${fmtUs(awaited.us)}; ${onFloor})`, met: y <= 4 });
      }
      if (asyncFn) {
        // In floors: what serving an async function adds to a callSync.
        const extra = (asyncFn.us - sync.us) / floor.us;
        out.push({ what: `${name}: an async served function adds ≤ 1 floor to callSync`, value: `${extra.toFixed(2)} floors (${fmtUs(asyncFn.us - sync.us)}; ${onFloor})`, met: extra <= 1 });
      }
      for (const [peer, id] of [['synckit', 'synckit.sync'], ['comlink', 'comlink.rtt'], ['piscina', 'piscina.rtt']] as const) {
        const other = find(s, id);
        if (other) {
          const f = speedup(sync, other);
          out.push({ what: `${name}: sync round trip ≥ 100x faster than ${peer}`, value: `${fmtX(f)}`, met: f >= 100 });
        }
      }
    }
    const pipe = find(s, 'smpcall.pipelined');
    // postMessage's throughput both ways: one message at a time, and many in flight (its best).
    for (const [id, how] of [['postMessage.rtt', 'one at a time'], ['postMessage.pipelined', 'pipelined too']] as const) {
      const pm = find(s, id);
      if (pipe && pm) {
        const f = speedup(pipe, pm);
        out.push({ what: `${name}: pipelined call ≥ 10x postMessage's throughput (${how})`, value: fmtX(f), met: f >= 10 });
      }
    }
    for (const b of run.sessions.filter((x) => x.name.startsWith('broadcast-'))) {
      const c = find(b, 'smpcall.onEach');
      const pm = find(b, 'postMessage.each');
      if (!c || !pm) continue;
      // The verdict is the median of the rounds' ratios (each round measures both, side by side); the
      // two medians shown beside it can order the other way when the rounds are noisy, so say which is which.
      const f = speedup(c, pm);
      out.push({ what: `${name}: ${c.label} at least as fast as postMessage to each`, value: `${fmtUs(c.us)} vs ${fmtUs(pm.us)} (medians); round by round ${fmtSpeedup(f)}`, met: f >= 1 });
    }
    // Every figure of this run was measured at the placement its floor shows.
    if (floor) for (let k = at; k < out.length; k++) out[k]!.floorUs = floor.us;
  }
  for (const [label, w] of warmups) {
    for (const [kind, first, steady] of [['awaited call', w.firstCallUs, w.steadyCallUs], ['callSync', w.firstSyncUs, w.steadySyncUs]] as const) {
      const x = first / steady;
      out.push({ what: `${label}: the first ${w.calls.toLocaleString('en')} ${kind}s after start() within 2x of steady`, value: `${fmtUs(first)} vs ${fmtUs(steady)} (${fmtX(x)})`, met: x <= 2 });
    }
  }
  for (const [label, a] of allocations) {
    const perM = 1e6 / a.calls;
    out.push({ what: `${label}: allocated by the call path per million inline callSync < 1 MB`, value: fmtBytes(Math.round(a.callPathBytes * perM)), met: a.callPathBytes * perM < 1e6 });
    out.push({ what: `${label}: at most one young GC per 100,000 calls`, value: `${a.minorGCs} in ${a.calls.toLocaleString('en')}`, met: a.minorGCs <= a.calls / 100_000 });
  }
  return out;
}

function sessionTable(s: SessionResult): string {
  const byId = new Map(s.cases.map((c) => [c.id, c]));
  const rows = s.cases.map((c) => {
    const floor = c.floor ? byId.get(c.floor) : undefined;
    const ref = c.ref ? byId.get(c.ref) : undefined;
    if (c.failed && c.rounds.length === 0) return [c.label, `failed: ${c.failed}`, '', '', '', '', '', ''];
    const tput = c.kind === 'pipelined' || c.kind === 'post';
    return [
      c.label + (c.failed ? ` (failed later: ${c.failed})` : ''),
      fmtUs(c.us),
      fmtRate(c.us) + (tput ? ' ★' : ''),
      fmtUs(c.p50),
      fmtUs(c.p99),
      fmtUs(c.p999),
      floor && !floor.failed ? fmtX(timesFloor(c, floor)) : '',
      ref && !ref.failed ? fmtSpeedup(speedup(c, ref)) : '',
    ];
  });
  return table(['case', 'µs per op (median)', 'ops/s', 'p50', 'p99', 'p99.9', '× floor', `vs ${s.refLabel}`], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

/** Sizes (per payload type) at which smpcall beats postMessage, side by side. */
export function payloadWins(s: SessionResult, system: string): Map<string, number[]> {
  const wins = new Map<string, number[]>();
  const byId = new Map(s.cases.map((c) => [c.id, c]));
  for (const c of s.cases) {
    if (c.system !== system || !c.payload || !c.ref) continue;
    const ref = byId.get(c.ref);
    if (!ref || c.failed || ref.failed) continue;
    const list = wins.get(c.payload.type) ?? [];
    if (speedup(c, ref) > 1) list.push(c.payload.bytes);
    wins.set(c.payload.type, list);
  }
  return wins;
}

function payloadTable(s: SessionResult): string {
  const byId = new Map(s.cases.map((c) => [c.id, c]));
  const rows: string[][] = [];
  for (const c of s.cases) {
    if (c.system !== 'postMessage' || !c.payload) continue;
    const key = `${c.payload.type}.${c.payload.bytes}`;
    const sync = byId.get(`smpcall.callSync.echo.${key}`);
    const asy = byId.get(`smpcall.call.echo.${key}`);
    const cell = (x: CaseResult | undefined): string => (!x ? '–' : x.failed && !x.rounds.length ? `failed: ${x.failed}` : `${fmtUs(x.us)} (${fmtSpeedup(speedup(x, c))})`);
    rows.push([c.payload.type, sizeLabel(c.payload.bytes), fmtUs(c.us), cell(sync), cell(asy)]);
  }
  const head = table(['payload', 'size', 'postMessage', 'smpcall callSync', 'smpcall call'], rows, ['l', 'r', 'r', 'r', 'r']);
  const wins = (system: string): string =>
    [...payloadWins(s, system)].map(([type, sizes]) => `${type}: ${sizes.length ? sizes.map(sizeLabel).join(', ') : 'none'}`).join('; ');
  return `${head}\n\nsmpcall callSync is faster than postMessage at — ${wins('smpcall callSync')}.\n\nsmpcall call is faster than postMessage at — ${wins('smpcall call')}.`;
}

function payloadSummary(runs: RuntimeRun[]): string | undefined {
  const lines: string[] = [];
  for (const run of runs) {
    const s = sessionOf(run, 'payload');
    if (!s) continue;
    for (const system of ['smpcall callSync', 'smpcall call']) {
      const w = [...payloadWins(s, system)].map(([type, sizes]) => `${type} ${sizes.length ? sizes.map(sizeLabel).join(', ') : 'none'}`);
      lines.push(`- ${runtimeName(run)}, ${system}: ${w.join('; ')}`);
    }
  }
  return lines.length ? lines.join('\n') : undefined;
}

function prettierSummary(runs: RuntimeRun[]): string | undefined {
  const rows: string[][] = [];
  for (const run of runs) {
    const s = sessionOf(run, 'prettier-sync');
    for (const c of s?.cases ?? []) {
      if (c.system !== 'synckit') continue;
      const ours = s!.cases.find((x) => x.ref === c.id);
      rows.push([runtimeName(run), c.label.replace(/^synckit: /, ''), fmtUs(c.us), ours ? fmtUs(ours.us) : (s!.skipped.find((k) => k.label === 'smpcall/sync')?.why ?? '–'), ours ? fmtSpeedup(speedup(ours, c)) : '']);
    }
  }
  return rows.length ? table(['runtime', 'input', 'synckit', 'smpcall/sync', 'smpcall/sync vs synckit'], rows, ['l', 'l', 'r', 'r', 'r']) : undefined;
}

const metLabel = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'met' : '**not met**');

/**
 * The goals, each at this run's placement and, when a run at the other one is on record, there too:
 * a ratio to the floor means little without knowing which floor (placements.ts).
 */
function goalsTable(g: Goal[], other: Map<string, OtherPlacement>): string {
  const here = (x: Goal): string => (x.floorUs === undefined ? '' : ` — ${placementOf(x.floorUs)}`);
  if (other.size === 0) {
    const note = g.some((x) => x.floorUs !== undefined)
      ? `\n\nEach runtime's figures are at the placement its spin floor shows: "near" (${placementLabel('near')}, floor under ${NEAR_FLOOR_US} µs) or "far" (${placementLabel('far')}). No run at the other placement is on record yet (bench/results/placements.json); the next run the host places the other way fills that column.`
      : '';
    return table(['goal', 'measured', ''], g.map((x) => [x.what, x.value + here(x), metLabel(x.met)]), ['l', 'r', 'l']) + note;
  }
  const rows = g.map((x) => {
    const o = other.get(x.what);
    return [x.what, x.value + here(x), metLabel(x.met), o ? `${o.value} — ${o.placement}, ${o.date}` : '', o ? metLabel(o.met) : ''];
  });
  return (
    table(['goal', 'this run', '', 'last run at the other placement', ''], rows, ['l', 'r', 'l', 'r', 'l']) +
    `\n\n"near": the host put the two threads on ${placementLabel('near')} (spin floor under ${NEAR_FLOOR_US} µs); "far": on ${placementLabel('far')}. ` +
    'The other placement\'s figures are the last run that saw it, from bench/results/placements.json.'
  );
}

export type OtherPlacement = GoalSeen & { placement: Placement };

export interface ReportInput {
  settings: Settings;
  started: Date;
  seconds: number;
  machine: { cpu: string; cores: number; os: string };
  runs: RuntimeRun[];
  allocations: Map<string, AllocationResult>;
  failedAllocations: Map<string, string>;
  warmups?: Map<string, WarmupResult>;
  /** The browser benchmark, when its session was chosen. */
  browser?: BrowserRun;
  charts: string[];
  chartsNote?: string;
  /** Per goal, the last run at the other placement (placements.ts). */
  otherPlacement?: Map<string, OtherPlacement>;
}

export function writeReport(r: ReportInput): string {
  const out: string[] = [];
  out.push(`# smpcall benchmark — ${r.started.toISOString().slice(0, 10)}`);
  out.push('');
  out.push(
    `${r.settings.quick ? 'Quick run' : 'Full run'} (\`npm run bench${r.settings.quick ? ' -- --quick' : ''}\`), ${r.seconds.toFixed(0)} s. ` +
      `Machine: ${r.machine.cpu}, **${r.machine.cores} cores**, ${r.machine.os}. ` +
      `Every case of a session is measured side by side in ${r.settings.rounds} interleaved rounds (the payload session in fewer); ` +
      `a figure is the median over rounds, a ratio the median of the per-round ratios. Percentiles come from an HdrHistogram of single operations ` +
      `timed one by one (they include the timer's own cost, tens of ns).`,
  );
  out.push('');
  if (r.runs.length) out.push('Runtimes: ' + r.runs.map((x) => `${x.title} → ${x.failed ? `**failed: ${x.failed}**` : `${runtimeName(x)} (${x.seconds.toFixed(0)} s)`}`).join('; ') + '.', '');
  out.push('## Headline');
  out.push('');
  if (r.runs.length) {
    out.push(
      'Main thread → one polling worker, a trivial `add(i, 1)`. "× floor": smpcall\'s time over the raw shared-word spin round trip ' +
        '(1.00x is the hardware floor). "vs X": how many times smpcall is faster than X at the same measure, side by side. ' +
        'Pools (piscina, tinypool, workerpool) run one thread.',
    );
    out.push('');
    out.push(headline(r.runs));
    out.push('');
  }
  if (r.browser) out.push(browserHeadline(r.browser), '');
  const wins = payloadSummary(r.runs);
  if (wins) out.push('**Payload sizes at which smpcall is faster than postMessage** (round trip of `echo(x)`, side by side):', '', wins, '');
  const sync = prettierSummary(r.runs);
  if (sync) out.push('**A real synchronous workload**: `prettier.format` called synchronously through synckit and through smpcall/sync:', '', sync, '');
  out.push('## Goals');
  out.push('');
  const g = goals(r.runs, r.allocations, r.warmups ?? new Map());
  if (g.length === 0) out.push('None measured: they are about the runtimes, and no runtime session ran.');
  else out.push(goalsTable(g, r.otherPlacement ?? new Map()));
  out.push('');
  if (r.charts.length || r.chartsNote) {
    out.push('## Charts');
    out.push('');
    for (const c of r.charts) out.push(`![${c}](${c})`);
    if (r.chartsNote) out.push(r.chartsNote);
    out.push('');
  }
  if (r.allocations.size || r.failedAllocations.size) {
    out.push('## Allocation');
    out.push('');
    out.push(
      'A fresh `node --expose-gc` process, one worker, inline `callSync(1, "add", i, 1)` calls after a warm-up. Heap growth: `heapUsed` after the calls minus ' +
        'before (no forced GC between; young GCs may have run); retained: the same after a forced full GC. GCs counted with a `PerformanceObserver` on `gc` entries; ' +
        'allocated per call is estimated as young GCs × the young generation\'s size over the calls (everything the thread allocated: the measuring loop and the JIT too). ' +
        'Call path: the same calls again under V8\'s sampling heap profiler (collected objects included), counting what smpcall\'s own code allocates.',
    );
    out.push('');
    const rows = [...r.allocations].map(([label, a]) => {
      const perM = 1e6 / a.calls;
      const perCall = (a.minorGCs * a.youngBytes) / a.calls;
      return [
        label,
        a.calls.toLocaleString('en'),
        fmtBytes(a.heapGrowth),
        fmtBytes(Math.round(a.heapGrowth * perM)),
        fmtBytes(a.retained),
        fmtBytes(Math.round(a.callPathBytes * perM)),
        String(a.minorGCs),
        String(a.majorGCs),
        a.minorGCs ? `≈ ${perCall.toFixed(0)} B` : '0 B',
        `${((a.ms * 1000) / a.calls).toFixed(2)} µs`,
      ];
    });
    for (const [label, why] of r.failedAllocations) rows.push([label, `failed: ${why}`, '', '', '', '', '', '', '', '']);
    out.push(
      table(['runtime', 'calls', 'heap growth', 'per million', 'retained', 'call path per million', 'young GCs', 'other GCs', 'allocated per call', 'time per call'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    );
    out.push('');
  }
  for (const run of r.runs) {
    out.push(`## ${runtimeName(run)}`);
    out.push('');
    if (run.failed) out.push(`**failed: ${run.failed}**${run.sessions.length ? ' (the sessions it finished are below)' : ''}\n`);
    for (const f of run.failedSessions) out.push(`- session ${f.name} **failed: ${f.error}**`);
    if (run.failedSessions.length) out.push('');
    for (const s of run.sessions) {
      out.push(`### ${s.title}`);
      out.push('');
      out.push(`${s.agents} smpcall agents, ${s.threads} threads started in this session, on ${run.cores ?? '?'} cores; ${s.seconds.toFixed(0)} s.`);
      out.push('');
      out.push(s.name === 'payload' ? payloadTable(s) : sessionTable(s));
      if (s.cases.some((c) => c.kind === 'pipelined' || c.kind === 'post')) out.push('\n★ throughput: operations in flight together; µs per op is the batch time over the operations.');
      for (const k of s.skipped) out.push(`- skipped ${k.label}: ${k.why}`);
      out.push('');
    }
  }
  if (r.browser) out.push(browserSection(r.browser), '');
  return out.join('\n');
}
