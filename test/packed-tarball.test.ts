/**
 * The package as a user gets it: `npm pack`, the tarball installed into an empty project in a temp
 * folder, and there:
 * - the README's 30-second example (its two TypeScript blocks, types stripped, each call's result
 *   printed) through `import`, on Node 20, Node 24, Deno 2 and Bun 1 (fetched through npx, as
 *   scripts/test-runtimes.mjs does; a runtime that cannot be installed is skipped, saying so);
 * - the same example through `require` (fixtures/pack-project/require.cjs), which must be the same
 *   module as `import` gives (one registry, one here()), and a CommonJS calls module;
 * - smpcall/sync through import and require (a CommonJS worker file, as ESLint plugins have), and a
 *   short smpcall/torture run;
 * - the types of every entry from a CommonJS and an ES module TypeScript file (nodenext), and from
 *   `moduleResolution: node10`;
 * - `npx smpcall check` and `npx smpcall bench` without their dev packages: one line naming them;
 * - a page importing 'smpcall' and 'smpcall/web-worker' from the project's node_modules, bundled by
 *   esbuild and by Vite (the README's recipe; fixtures/pack-web), run in every installed browser.
 * Needs the build (`npm test` builds first: scripts/setup.mjs, which also writes dist/cjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { BUNDLERS, bundlePage } from '../examples/browser/bundle.js';
import { serve } from '../examples/browser/serve.js';
import { engines } from './support/browsers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test', 'fixtures', 'pack-project');
const RUN_MS = 60_000;

const onNode = !('Deno' in globalThis) && !('bun' in process.versions);
const RUNTIMES = {
  node20: { pkg: 'node@20', bin: 'node', argv: (f: string) => [f] },
  node24: { pkg: 'node@24', bin: 'node', argv: (f: string) => [f] },
  deno: { pkg: 'deno@2', bin: 'deno', argv: (f: string) => ['run', '-A', f] },
  bun: { pkg: 'bun@1', bin: 'bun', argv: (f: string) => [f] },
} as const;
type RuntimeName = keyof typeof RUNTIMES;

/** The runtime's binary, installed (once, cached by npm) through npx; or why it could not be. */
function locate(name: RuntimeName): { bin: string } | { why: string } {
  if (name === 'node20' && onNode && process.versions.node.startsWith('20.')) return { bin: process.execPath };
  const { pkg, bin } = RUNTIMES[name];
  try {
    const out = execFileSync('npx', ['-y', '-p', pkg, '-c', `command -v ${bin}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return { bin: out.trim().split('\n').pop()! };
  } catch (e) {
    return { why: `could not install ${pkg} through npx here (${String((e as Error).message).split('\n')[0]})` };
  }
}

const EXPECTED = [3, 'hello ada from agent 2', undefined, 15];

/** The README's two blocks under "30-second example": calls.ts and main.ts. */
function readmeExample(): { calls: string; main: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const from = readme.indexOf('## 30-second example');
  assert.ok(from >= 0, 'README has a "30-second example" section');
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1));
  const [calls, main] = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(calls?.startsWith('// calls.ts') && main?.startsWith('// main.ts'), 'the section has calls.ts then main.ts');
  // Print what each call statement gives (the comments next to them in the README say what it is).
  const printing = main.replace(/^((?:await )?domain\.(?:call|callSync|post)\(.*\));/gm, 'console.log(JSON.stringify($1) ?? "undefined");');
  assert.equal(printing.match(/console\.log/g)?.length, EXPECTED.length, 'main.ts makes four calls, one per line');
  const js = (source: string): string =>
    ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return { calls: js(calls), main: js(printing) };
}

interface Project {
  dir: string;
  tarball: string;
}
let project: Project | undefined;

/** Pack, install into an empty project, write the README's example and the fixtures there (once). */
function setUp(): Project {
  if (project) return project;
  const tmp = mkdtempSync(join(tmpdir(), 'smpcall-pack-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  assert.ok(existsSync(join(root, 'dist', 'cjs', 'index.js')), 'dist/cjs is built (npm run setup)');
  // Scripts ignored: the build is the one under test (a prepack would build it again).
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string }[];
  const tarball = join(tmp, packed[0]!.filename);
  const dir = join(tmp, 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smpcall-pack-test', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { calls, main } = readmeExample();
  writeFileSync(join(dir, 'calls.js'), calls);
  writeFileSync(join(dir, 'main.js'), main);
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(dir, f));
  return (project = { dir, tarball });
}

function run(bin: string, argv: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(bin, argv, {
    cwd,
    encoding: 'utf8',
    timeout: RUN_MS,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', DENO_NO_UPDATE_CHECK: '1' },
  });
  return { code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Run a file of the project and parse its last stdout line as JSON. */
function runJson(bin: string, name: RuntimeName, file: string): unknown {
  const r = run(bin, RUNTIMES[name].argv(file), setUp().dir);
  assert.equal(r.code, 0, `${file} on ${name} exited with ${r.code}:\n${r.out}\n${r.err}`);
  const last = r.out.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    assert.fail(`${file} on ${name} printed no JSON line:\n${r.out}\n${r.err}`);
  }
}

test('npm pack: the tarball holds the ES build, the CommonJS entries with their types, the sources', () => {
  const { tarball } = setUp();
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
  for (const f of [
    'dist/index.js',
    'dist/cjs/package.json',
    'dist/cjs/index.js',
    'dist/cjs/index.d.ts',
    'dist/cjs/sync/index.d.ts',
    'dist/cjs/torture/index.d.ts',
    'dist/worker/node-entry.js',
    'src/protocol/call.ts',
    'README.md',
  ]) {
    assert.ok(files.includes(`package/${f}`), `the tarball has ${f}`);
  }
  assert.ok(!files.some((f) => f.startsWith('package/dist-test/') || f.startsWith('package/test/')), 'no tests in the tarball');
});

for (const name of Object.keys(RUNTIMES) as RuntimeName[]) {
  let where: ReturnType<typeof locate> | undefined;
  const bin = (t: { skip(why: string): void }): string | undefined => {
    where ??= locate(name);
    if ('bin' in where) return where.bin;
    t.skip(where.why);
    return undefined;
  };

  test(`${name}: the README's 30-second example through import`, (t) => {
    const b = bin(t);
    if (!b) return;
    const r = run(b, RUNTIMES[name].argv('main.js'), setUp().dir);
    assert.equal(r.code, 0, `main.js on ${name} exited with ${r.code}:\n${r.out}\n${r.err}`);
    assert.deepEqual(
      r.out
        .trim()
        .split('\n')
        .map((l) => (l === 'undefined' ? undefined : JSON.parse(l))),
      EXPECTED,
    );
  });

  test(`${name}: the same example through require, the same module as import gives`, (t) => {
    const b = bin(t);
    if (!b) return;
    assert.deepEqual(runJson(b, name, 'require.cjs'), {
      same: { smpcall: true, sync: true, torture: true },
      example: [3, 'hello ada from agent 2', null, 15],
      onMain: 'hello main from agent 0',
      cjsCalls: [3, 2, 0],
    });
  });

  test(`${name}: smpcall/sync through import and through require (a CommonJS worker file)`, (t) => {
    const b = bin(t);
    if (!b) return;
    assert.deepEqual(runJson(b, name, 'sync.mjs'), { sync: 42, sameError: true });
    assert.deepEqual(runJson(b, name, 'require-sync.cjs'), { sync: 42 });
  });

  test(`${name}: a short smpcall/torture run`, (t) => {
    const b = bin(t);
    if (!b) return;
    assert.deepEqual(runJson(b, name, 'torture.mjs'), { ok: true, called: true });
  });
}

test('types: every entry from a CommonJS and an ES module TypeScript file, and with node10 resolution', () => {
  const { dir } = setUp();
  const body = `
import { start, here, registerClass, defineCalls, SmpcallError, codes, type Domain } from 'smpcall';
import { createSyncFn, runAsWorker } from 'smpcall/sync';
import { torture, type TortureResult } from 'smpcall/torture';
import { serveCalls } from 'smpcall/web-worker';
const calls = defineCalls({ add: (a: number, b: number) => a + b });
// A bundled page's form: the table itself, and the app's own workers (whose module calls serveCalls).
export const page = () => start<typeof calls>({ workers: 1, calls, worker: (id: number) => ({ id }) });
export const domain: Promise<Domain<typeof calls>> = start<typeof calls>({ workers: 1, calls: new URL('file:///calls.js') });
export const sum: () => Promise<number> = async () => (await domain).call(1, 'add', 1, 2);
export const twice: (n: number) => number = createSyncFn<(n: number) => Promise<number>>('/worker.js');
export const run: Promise<TortureResult> = torture({ durationMs: 1 });
export const rest = [here, registerClass, runAsWorker, codes.USAGE, SmpcallError, serveCalls];
// @ts-expect-error a call name the table does not have
export const wrong = async () => (await domain).call(1, 'nope');
`;
  writeFileSync(join(dir, 'types-cjs.cts'), body);
  writeFileSync(join(dir, 'types-esm.mts'), body);
  writeFileSync(join(dir, 'types-node10.ts'), body);
  const base: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2024.d.ts'],
    typeRoots: [join(root, 'node_modules', '@types')],
    types: ['node'],
  };
  const check = (files: string[], options: ts.CompilerOptions): ts.Program => {
    const program = ts.createProgram(
      files.map((f) => join(dir, f)),
      { ...base, ...options },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepEqual(problems, []);
    return program;
  };
  const loaded = (p: ts.Program): string[] =>
    p
      .getSourceFiles()
      .map((f) => f.fileName)
      .filter((f) => /node_modules\/smpcall\/dist\/(cjs\/)?(sync\/|torture\/)?index\.d\.ts$/.test(f))
      .map((f) => f.slice(f.indexOf('dist/')))
      .sort();
  const cjs = ['dist/cjs/index.d.ts', 'dist/cjs/sync/index.d.ts', 'dist/cjs/torture/index.d.ts'];
  const esm = ['dist/index.d.ts', 'dist/sync/index.d.ts', 'dist/torture/index.d.ts'];
  const nodenext = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
  assert.deepEqual(loaded(check(['types-cjs.cts'], nodenext)), cjs);
  assert.deepEqual(loaded(check(['types-esm.mts'], nodenext)), esm);
  assert.deepEqual(loaded(check(['types-node10.ts'], { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 })), cjs);
});

test('npx smpcall check and npx smpcall bench without their dev packages: one line naming them', () => {
  const { dir } = setUp();
  for (const [command, needs] of [
    ['check', ['typescript']],
    ['bench', ['hdr-histogram-js', 'comlink', 'piscina', 'tinypool', 'workerpool', 'synckit']],
  ] as const) {
    const r = run('npx', ['--no', 'smpcall', command], dir);
    assert.equal(r.code, 1, `smpcall ${command} exits with 1:\n${r.out}\n${r.err}`);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 1, `smpcall ${command} says it in one line:\n${r.err}`);
    assert.match(lines[0]!, new RegExp(`^smpcall ${command}: `));
    for (const pkg of needs) assert.ok(lines[0]!.includes(pkg), `smpcall ${command} names ${pkg}: ${lines[0]}`);
    assert.equal(r.out, '');
  }
});

for (const bundler of BUNDLERS) {
  test(`a page bundled by ${bundler} from the installed package runs in every installed browser`, { skip: !onNode && 'bundlers and browsers are driven from Node' }, async (t) => {
    const { dir } = setUp();
    const src = join(dir, 'web');
    mkdirSync(src, { recursive: true });
    for (const f of readdirSync(join(root, 'test', 'fixtures', 'pack-web'))) copyFileSync(join(root, 'test', 'fixtures', 'pack-web', f), join(src, f));
    const out = await bundlePage(bundler, { src, workers: ['agent.js'], out: join(dir, `web-${bundler}`) });
    const served = await serve(0, { root: out });
    try {
      for (const engine of engines) {
        if (engine.skip) {
          t.diagnostic(`${engine.name} skipped: ${engine.skip}`);
          continue;
        }
        const browser = await engine.launch();
        try {
          const page = await browser.newPage();
          await page.goto(served.url);
          await page.waitForSelector('body[data-result], body[data-error]', { timeout: 20_000 });
          assert.equal(await page.getAttribute('body', 'data-error'), null, `${engine.name}: the page failed`);
          assert.deepEqual(JSON.parse((await page.getAttribute('body', 'data-result'))!), [42, [0, 1, 2], 42], engine.name);
        } finally {
          await browser.close();
        }
      }
    } finally {
      await served.close();
    }
  });
}
