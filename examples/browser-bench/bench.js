// The browser benchmark page: measures each group of contenders.js in interleaved rounds
// (measure.js), shows the medians and ratios, and publishes them for the driver
// (src/bench/browser/run.ts) as globalThis.benchResults, setting body[data-done] to "yes" or "failed".
// ?rounds=N&batchMs=N&warmupMs=N change the measurement (defaults: 12 rounds of 20 ms batches, 300 ms
// warm-up per contender).
import { startContenders } from './contenders.js';
import { measureInterleaved, ratio } from './measure.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const setting = (name, fallback) => {
  const v = Number(params.get(name) ?? fallback);
  if (!(v > 0)) throw new RangeError(`?${name}= must be a positive number, got ${params.get(name)}`);
  return v;
};

const fmtUs = (us) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2)) + ' µs';
const fmtX = (x) => (Number.isFinite(x) ? (x >= 10 ? x.toFixed(1) : x.toPrecision(2)) + 'x' : '–');

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
}

/** One table per group: each contender's median, its time over postMessage's and over the floor's. */
function render(group) {
  const section = document.createElement('section');
  section.innerHTML = `<h2></h2><table><tr><th>contender</th><th>call</th><th>µs per call</th><th>÷ postMessage</th><th>÷ floor</th><th>batch</th></tr></table>`;
  section.querySelector('h2').textContent = `${group.id}. ${group.title}`;
  const table = section.querySelector('table');
  for (const [name, r] of Object.entries(group.results)) {
    const row = table.insertRow();
    cell(row, name);
    cell(row, group.how[name], 'how');
    cell(row, fmtUs(r.us), 'n');
    cell(row, name === 'postMessage' ? '1' : fmtX(group.ratios[`${name}/postMessage`]), 'n');
    cell(row, name === 'floor' ? '1' : fmtX(group.ratios[`${name}/floor`]), 'n');
    cell(row, String(r.n), 'n');
  }
  for (const [name, why] of Object.entries(group.na)) {
    const row = table.insertRow();
    cell(row, name);
    cell(row, `n/a: ${why}`, 'how');
    for (let k = 0; k < 4; k++) cell(row, '–', 'n');
  }
  $('groups').append(section);
}

/** "Chromium 150.0.7871.100" (the user agent string itself says 150.0.0.0). */
async function browserName() {
  const { fullVersionList = [] } = (await navigator.userAgentData?.getHighEntropyValues(['fullVersionList'])) ?? {};
  const brand = fullVersionList.find((b) => b.brand === 'Chromium') ?? fullVersionList.find((b) => !/Not.A.Brand/i.test(b.brand));
  return brand ? `${brand.brand} ${brand.version}` : navigator.userAgent;
}

try {
  const settings = { rounds: setting('rounds', 12), batchMs: setting('batchMs', 20), warmupMs: setting('warmupMs', 300) };
  const t0 = performance.now();
  $('status').textContent = 'starting the workers…';
  const groups = [];
  for (const g of await startContenders()) {
    const results = await measureInterleaved({
      contenders: g.contenders,
      ...settings,
      onRound: (r) => ($('status').textContent = `${g.id}. ${g.title}: round ${r} of ${settings.rounds}`),
    });
    const ratios = {};
    for (const a of Object.keys(results)) for (const b of Object.keys(results)) if (a !== b) ratios[`${a}/${b}`] = ratio(results[a], results[b]);
    const group = { id: g.id, title: g.title, how: g.how, na: g.na, results, ratios };
    groups.push(group);
    render(group);
  }
  const seconds = (performance.now() - t0) / 1000;
  globalThis.benchResults = { browser: await browserName(), cores: navigator.hardwareConcurrency, isolated: crossOriginIsolated, settings, seconds, groups };
  $('status').textContent =
    `done in ${seconds.toFixed(1)} s: ${settings.rounds} interleaved rounds per group, medians; ${navigator.hardwareConcurrency} logical cores`;
  document.body.dataset.done = 'yes';
} catch (e) {
  const error = `${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? String(e)}`;
  globalThis.benchResults = { error };
  $('status').textContent = `failed: ${error}`;
  $('status').className = 'bad';
  document.body.dataset.done = 'failed';
}
