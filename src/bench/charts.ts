/**
 * The report's charts: vega-lite specs compiled to vega and rendered to SVG headless (View.toSVG,
 * no canvas needed). Missing vega or vega-lite: no charts, and the report says why.
 */
import type { RuntimeRun } from './runtimes.js';
import { HEADLINE, runtimeName, sessionOf, timesFloor } from './report.js';
import { sizeLabel } from './payloads.js';

type Spec = Record<string, unknown>;

/** Vega expression: bytes as B / KiB / MiB. */
const SIZE_LABEL = "datum.value >= 1048576 ? (datum.value / 1048576) + ' MiB' : datum.value >= 1024 ? (datum.value / 1024) + ' KiB' : datum.value + ' B'";

export async function renderSvg(spec: Spec): Promise<string> {
  const vl = (await import('vega-lite')) as unknown as { compile(s: Spec): { spec: object } };
  const vega = (await import('vega')) as unknown as {
    parse(s: object): object;
    View: new (runtime: object, o: object) => { toSVG(): Promise<string>; finalize(): void };
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white', config: { font: 'sans-serif' } };

/** p50 (bar) and p99 (tick) of every round-trip case of the main session, per runtime. */
export function latencySpec(runs: RuntimeRun[]): Spec | undefined {
  const values = runs.flatMap((run) =>
    (sessionOf(run, 'main')?.cases ?? [])
      .filter((c) => c.p50 !== undefined && c.kind !== 'post' && !c.failed)
      .map((c) => ({ runtime: runtimeName(run), case: c.label, system: c.system, p50: c.p50, p99: c.p99 }))
      .sort((a, b) => a.p50! - b.p50!),
  );
  if (!values.length) return undefined;
  // Data order: fastest first (the values are sorted above).
  const y = { field: 'case', type: 'nominal', title: null, sort: null, axis: { labelLimit: 300 } };
  return {
    ...base,
    title: 'Round-trip latency by system (p50 bar, p99 tick; log scale)',
    data: { values },
    facet: { row: { field: 'runtime', title: null } },
    spec: {
      width: 460,
      layer: [
        {
          mark: 'bar',
          // A log scale has no zero: bars start at 0.1 µs.
          encoding: { y, x: { field: 'p50', type: 'quantitative', scale: { type: 'log' }, title: 'µs' }, x2: { datum: 0.1 }, color: { field: 'system', type: 'nominal' } },
        },
        { mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { y, x: { field: 'p99', type: 'quantitative' } } },
      ],
    },
  };
}

/** smpcall's headline measures over the spin floor, per runtime. */
export function ratioSpec(runs: RuntimeRun[]): Spec | undefined {
  const values: object[] = [];
  for (const run of runs) {
    const s = sessionOf(run, 'main');
    const floor = s?.cases.find((c) => c.id === 'floor.spin');
    if (!s || !floor) continue;
    for (const h of HEADLINE) {
      const me = s.cases.find((c) => c.id === h.smpcall && !c.failed);
      if (me) values.push({ runtime: runtimeName(run), measure: h.short, ratio: timesFloor(me, floor) });
    }
  }
  if (!values.length) return undefined;
  return {
    ...base,
    title: 'smpcall time per call over the spin floor (1 = the floor), by runtime',
    data: { values },
    width: 520,
    height: 260,
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'measure', type: 'nominal', title: null, axis: { labelAngle: 0, labelLimit: 200 } },
          xOffset: { field: 'runtime' },
          y: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: '× floor' },
          // Bars grow from the floor (1x): up is slower than the floor.
          y2: { datum: 1 },
          color: { field: 'runtime', type: 'nominal' },
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 1 } } },
    ],
  };
}

/** Round trip against payload size, smpcall and postMessage, per payload type and runtime. */
export function payloadSpec(runs: RuntimeRun[]): Spec | undefined {
  const values = runs.flatMap((run) =>
    (sessionOf(run, 'payload')?.cases ?? [])
      .filter((c) => c.payload && !c.failed)
      .map((c) => ({ runtime: runtimeName(run), system: c.system, type: c.payload!.type, bytes: c.payload!.bytes, size: sizeLabel(c.payload!.bytes), us: c.us })),
  );
  if (!values.length) return undefined;
  return {
    ...base,
    title: 'Round trip of echo(x) against the size of x (log-log)',
    data: { values },
    facet: { column: { field: 'type', title: null }, row: { field: 'runtime', title: null } },
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'bytes', type: 'quantitative', scale: { type: 'log' }, title: 'bytes', axis: { values: [...new Set(values.map((v) => v.bytes))], labelExpr: SIZE_LABEL, labelAngle: -45, labelOverlap: false, grid: false } },
        y: { field: 'us', type: 'quantitative', scale: { type: 'log' }, title: 'µs', axis: { values: [0.1, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000] } },
        color: { field: 'system', type: 'nominal' },
        tooltip: [{ field: 'size' }, { field: 'us' }],
      },
    },
  };
}

export const CHARTS: [file: string, make: (runs: RuntimeRun[]) => Spec | undefined][] = [
  ['latency-by-system.svg', latencySpec],
  ['ratio-to-floor-by-runtime.svg', ratioSpec],
  ['round-trip-vs-payload.svg', payloadSpec],
];
