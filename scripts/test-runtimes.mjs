// The runtime matrix: runs the compiled test files (dist-test/test/**/*.test.js) on Node 20, Node 24,
// Deno 2 and Bun 1, each installed from npm through npx (nothing to install by hand), one file at a
// time, and prints what passed where.
//
//   npm run test:runtimes                      every runtime, every file
//   npm run test:runtimes -- --only=deno,bun   some runtimes (node20, node24, deno, bun)
//   npm run test:runtimes -- worker-crash      files whose path contains a substring
//   npm run test:runtimes -- --all             also the files a runtime is known not to run (see SKIP)
//   npm run test:runtimes -- --json=out.json   also write the results as JSON
//
// How each runtime runs a node:test file:
// - Node: `node --test file`.
// - Deno: `deno test -A --no-check file`. Deno's `deno test` runs node:test tests through its own
//   runner (`deno run` registers them but runs none, and exits 0: useless as a test). --no-check because
//   the compiled JavaScript is already checked by tsc and Deno would check the .d.ts files again.
// - Bun: `bun test file`. `bun run` refuses node:test ("Cannot use test outside of the test runner").
//   --timeout raises Bun's 5 s default per test to what `npm test` allows.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'dist-test', 'test');
const FILE_TIMEOUT_MS = 240_000;

/** Files a runtime cannot run, with the reason (shown in the report; `--all` runs them anyway). */
const BROWSER = 'drives headless Chromium through playwright-core, a Node tool: the browser is the runtime under test there (run on node20 and node24)';
const BENCH_HARNESS =
  "tests the benchmark's harness, a Node tool that starts each runtime as a child process (npm run bench measures Deno and Bun that way); inside it some peers do not run here (workerpool does not start on Bun) and error texts differ";
const SKIP = {
  node20: {},
  node24: {},
  deno: {
    'browser.test.js': BROWSER,
    'bench-runtime-failure.test.js': BENCH_HARNESS,
    'bench-smoke.test.js': BENCH_HARNESS,
  },
  bun: { 'browser.test.js': BROWSER, 'bench-runtime-failure.test.js': BENCH_HARNESS, 'bench-smoke.test.js': BENCH_HARNESS },
};

const RUNTIMES = {
  node20: { pkg: 'node@20', bin: 'node', args: (f) => ['--test', '--test-timeout=180000', f] },
  node24: { pkg: 'node@24', bin: 'node', args: (f) => ['--test', '--test-timeout=180000', f] },
  deno: { pkg: 'deno@2', bin: 'deno', args: (f) => ['test', '-A', '--no-check', f] },
  bun: { pkg: 'bun@1', bin: 'bun', args: (f) => ['test', '--timeout=180000', `./${f}`] },
};

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const only = opt('only')?.split(',') ?? Object.keys(RUNTIMES);
for (const r of only) if (!RUNTIMES[r]) throw new Error(`unknown runtime ${r} (known: ${Object.keys(RUNTIMES).join(', ')})`);
const runSkipped = args.includes('--all');
const filters = args.filter((a) => !a.startsWith('-'));

const walk = (d) =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
let files;
try {
  files = walk(dir);
} catch {
  files = [];
}
files = files
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => relative(root, f));
if (files.length === 0) {
  console.error('no test files found under dist-test/test (run `npm run build` first)');
  process.exit(1);
}

/** Install (once, cached by npm) and locate a runtime's binary. */
function locate(name) {
  const { pkg, bin } = RUNTIMES[name];
  // The node@20 this script runs on is the one CI has; any other comes from npm.
  if (name === 'node20' && process.versions.node.startsWith('20.')) return process.execPath;
  const out = execFileSync('npx', ['-y', '-p', pkg, '-c', `command -v ${bin}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim().split('\n').pop();
}

/** Counts from the three runners' closing lines: node (`# pass 3` or `ℹ pass 3`), Deno (`ok | 3 passed | 0 failed`), Bun (` 3 pass`, ` 0 fail`). */
function counts(out) {
  const last = (re) => {
    const m = [...out.matchAll(re)].pop();
    return m ? Number(m[1]) : undefined;
  };
  const deno = [...out.matchAll(/\|\s*(\d+) passed\s*\|\s*(\d+) failed/g)].pop();
  if (deno) return { pass: Number(deno[1]), fail: Number(deno[2]) };
  return {
    pass: last(/^(?:#|ℹ) pass (\d+)$/gm) ?? last(/^\s*(\d+) pass$/gm),
    fail: last(/^(?:#|ℹ) fail (\d+)$/gm) ?? last(/^\s*(\d+) fail$/gm),
  };
}

function runFile(binPath, name, file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(binPath, RUNTIMES[name].args(file), {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the process group has already exited
      }
    }, FILE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, out, ms: Date.now() - t0, ...counts(out) });
    });
  });
}

/** The first lines that say why a file failed. */
function why(out) {
  // Deno colours its errors whatever NO_COLOR says.
  const lines = out
    // eslint-disable-next-line no-control-regex -- strips ANSI colour codes (ESC [ ... m)
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n').map((l) => l.trimEnd());
  const hit = lines.findIndex((l) => /✖|not ok|\(fail\)|FAILED|error:|Error:|ERROR/.test(l) && !/^\s*at /.test(l));
  return hit < 0 ? lines.slice(-6).join('\n') : lines.slice(hit, hit + 8).join('\n');
}

const results = {};
for (const name of only) {
  let binPath;
  try {
    binPath = locate(name);
  } catch (e) {
    console.log(`\n## ${name}: could not install ${RUNTIMES[name].pkg} through npx: ${e.message}`);
    results[name] = { error: String(e.message), files: {} };
    continue;
  }
  const version = execFileSync(binPath, ['--version'], { encoding: 'utf8' }).split('\n')[0].split(' (')[0];
  console.log(`\n## ${name}: ${version} (${binPath})`);
  const r = (results[name] = { version, files: {} });
  for (const file of files) {
    const short = relative('dist-test/test', file);
    const skip = SKIP[name][short];
    if (skip && !runSkipped) {
      r.files[short] = { status: 'skipped', reason: skip };
      console.log(`  -    ${short}: skipped: ${skip}`);
      continue;
    }
    const res = await runFile(binPath, name, file);
    const status = res.timedOut ? 'timeout' : res.code === 0 ? 'pass' : 'fail';
    r.files[short] = { status, pass: res.pass, fail: res.fail, ms: res.ms, ...(status !== 'pass' ? { why: why(res.out) } : {}) };
    const mark = status === 'pass' ? 'ok  ' : status === 'timeout' ? 'TIME' : 'FAIL';
    console.log(`  ${mark} ${short} (${res.pass ?? '?'} passed, ${res.fail ?? '?'} failed, ${(res.ms / 1000).toFixed(1)} s)`);
    if (status !== 'pass') console.log(why(res.out).replace(/^/gm, '         | '));
  }
}

// Summary: one line per runtime, then the plain closing line.
console.log('\n| runtime | version | files passed | failed | skipped |\n|---|---|---|---|---|');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [name, r] of Object.entries(results)) {
  const fs = Object.values(r.files);
  const p = fs.filter((f) => f.status === 'pass').length;
  const f = fs.filter((f) => f.status === 'fail' || f.status === 'timeout').length;
  const s = fs.filter((f) => f.status === 'skipped').length;
  passed += p;
  failed += f + (r.error ? 1 : 0);
  skipped += s;
  console.log(`| ${name} | ${r.version ?? 'not installed'} | ${p} | ${f} | ${s} |`);
}
const json = opt('json');
if (json) writeFileSync(json, JSON.stringify(results, null, 2));
console.log(`\nruntimes: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
