/**
 * The browser benchmark in the report: a headline table (smpcall per group, the floor measured beside
 * it, how many times faster smpcall is than each peer) and a section with every contender's figures,
 * each page load's among them.
 */
import { fmtSpeedup, fmtUs, fmtX, table } from '../format.js';
import type { BrowserGroup, BrowserRun, Figure } from './results.js';

const PEERS = ['postMessage', 'coincident', 'comlink'];

const value = (f: Figure | undefined): number => f?.median ?? NaN;
/** Time over time, two significant digits below 10 (a contender 0.013x postMessage's time). */
const fmtRatio = (x: number): string => (Number.isFinite(x) && x < 10 ? `${x.toPrecision(2)}x` : fmtX(x));

/** How many times faster smpcall is than `peer` in this group; "n/a" for a peer that cannot make the call. */
function vs(g: BrowserGroup, peer: string): string {
  if (g.na[peer]) return 'n/a';
  return fmtSpeedup(1 / value(g.ratios[`smpcall/${peer}`]));
}

/** One line when the browser did not run, else the headline table. */
export function browserHeadline(b: BrowserRun): string {
  if (b.skipped) return `**In the browser**: skipped: ${b.skipped}.`;
  if (b.failed) return `**In the browser**: **failed: ${b.failed}**`;
  const rows = b.groups.map((g) => [
    `${g.id}. ${g.title}`,
    fmtUs(value(g.us.smpcall)),
    fmtUs(value(g.us.floor)),
    fmtX(value(g.ratios['smpcall/floor'])),
    ...PEERS.map((p) => vs(g, p)),
  ]);
  return (
    `**In the browser** (${b.browser ?? 'Chromium'}, headless, ${b.cores ?? '?'} logical cores; medians of ${b.loads} page loads): the same \`add(i, 1)\`, one call after another. ` +
    'In b and c postMessage cannot block: its round trip is awaited.\n\n' +
    table(['measure', 'smpcall', 'floor', '× floor', ...PEERS.map((p) => `vs ${p}`)], rows, ['l', 'r', 'r', 'r', ...PEERS.map(() => 'r' as const)])
  );
}

const GROUP_ALIGN: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r'];

/** Each contender of a group: its call, figures over the loads, and ratios. */
function groupTable(g: BrowserGroup): string {
  const rows = Object.entries(g.us).map(([name, us]) => {
    const spread = Math.max(...us.loads) / Math.min(...us.loads);
    return [
      name,
      `\`${g.how[name] ?? ''}\``,
      fmtUs(us.median),
      `${us.loads.map(fmtUs).join(', ')} (${fmtX(spread)})`,
      name === 'floor' ? '1' : fmtRatio(value(g.ratios[`${name}/floor`])),
      name === 'postMessage' ? '1' : fmtRatio(value(g.ratios[`${name}/postMessage`])),
      name === 'smpcall' || name === 'floor' ? '' : fmtSpeedup(1 / value(g.ratios[`smpcall/${name}`])),
    ];
  });
  for (const [name, why] of Object.entries(g.na)) rows.push([name, `n/a: ${why}`, '', '', '', '', '']);
  return table(['contender', 'call', 'µs per call', 'each load (max/min)', '÷ floor', '÷ postMessage', 'smpcall vs it'], rows, GROUP_ALIGN);
}

/** The report's browser section. */
export function browserSection(b: BrowserRun): string {
  const out = [`## ${b.browser ?? 'Chromium'}`, ''];
  if (b.skipped || b.failed) return [...out, b.skipped ? `Skipped: ${b.skipped}.` : `**failed: ${b.failed}**`].join('\n');
  const s = b.settings;
  out.push(
    `examples/browser-bench/ in headless Chromium (playwright-core), ${b.loads} fresh page loads (${b.pageSeconds.map((x) => x.toFixed(0)).join(', ')} s on the page), ${b.seconds.toFixed(0)} s in all, ${b.cores ?? '?'} logical cores. ` +
      `On each load, per group: every contender warmed up for at least ${s.warmupMs} ms while its batch grew to about ${s.batchMs} ms, then ${s.rounds} interleaved rounds of one batch each. ` +
      'A figure is the median over rounds on one load, then the median over loads; "each load" lists the loads\' own figures and their spread, which is this run\'s noise. ' +
      'Ratios (÷: time over time, below 1 is faster) are medians of per-round ratios, then over loads. ' +
      'Every thread is started once per load and waits parked or on its event loop while others are measured. ' +
      'The floor is one Int32 ping-ponged between two spinning workers, measured in every group beside the rest.',
    '',
  );
  for (const g of b.groups) out.push(`### ${g.id}. ${g.title}`, '', groupTable(g), '');
  return out.join('\n').trimEnd();
}
