import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createSyncFn, compareNodeVersion, STRIP_TYPES_NODE_VERSION, NO_STRIP_TYPES_FLAG, TsRunner } from 'smpcall/sync';
import { workerFile } from '#internal/sync/resolve.js';
import { workerText, writeTemp } from './fixtures/sync-temp.js';

const mts = writeTemp('worker.mts', workerText('runAsWorker((x: number): number => x + 1);'));
const stripsTypes = compareNodeVersion(STRIP_TYPES_NODE_VERSION) >= 0;
const installed = (name: string): boolean => {
  try {
    createRequire(join(process.cwd(), 'noop.js')).resolve(name);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
};
const onNode = process.versions.bun === undefined && (globalThis as { Deno?: unknown }).Deno === undefined;

test("the worker file, as synckit finds it: a .js, .mjs, .cjs or bare path tries its TypeScript twin first", () => {
  const dir = dirname(writeTemp('resolve/a.ts', ''));
  const touch = (name: string): string => {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '');
    return p;
  };
  touch('a.js');
  assert.equal(workerFile(join(dir, 'a.js')), join(dir, 'a.ts')); // both exist: the TypeScript one
  assert.equal(workerFile(join(dir, 'a')), join(dir, 'a.ts'));
  touch('b.js');
  assert.equal(workerFile(join(dir, 'b')), join(dir, 'b.js'));
  assert.equal(workerFile(join(dir, 'b.js')), join(dir, 'b.js'));
  touch('c.mts');
  assert.equal(workerFile(join(dir, 'c.mjs')), join(dir, 'c.mts'));
  touch('d.cts');
  assert.equal(workerFile(join(dir, 'd.cjs')), join(dir, 'd.cts'));
  touch('e');
  assert.equal(workerFile(join(dir, 'e')), join(dir, 'e'));
  assert.equal(workerFile(join(dir, 'nothing.js')), join(dir, 'nothing.js'));
  touch('node_modules/p/f.ts');
  assert.equal(workerFile(join(dir, 'node_modules/p/f.js')), join(dir, 'node_modules/p/f.js')); // not inside node_modules
});

test("an unknown runner, for a TypeScript worker, is refused when the function is made, in synckit's words", () => {
  assert.throws(() => createSyncFn(mts, { tsRunner: 'bogus' as 'tsx' }), { code: 'ERR_SMPCALL_USAGE', message: 'Unknown ts runner: bogus' });
});

test("tsRunner 'node' where Node has no type stripping is refused when the function is made, not at the first call", { skip: stripsTypes && 'this Node strips types' }, () => {
  assert.throws(() => createSyncFn(mts.replace('.mts', '.mjs'), { tsRunner: TsRunner.Node }), {
    code: 'ERR_SMPCALL_USAGE',
    message: /^type stripping is not supported in this node version \(Node 2\d[.\d]*; tsRunner 'node' needs Node 22\.6 or later\)/,
  });
});

test('a TypeScript worker with no runner where nothing loads TypeScript is refused, saying what to install', { skip: (stripsTypes || installed('ts-node')) && 'a runner is available' }, () => {
  assert.throws(() => createSyncFn(mts), { code: 'ERR_SMPCALL_USAGE', message: /^No ts runner specified, ts worker path is not supported: .* npm i -D tsx and \{ tsRunner: 'tsx' \}/ });
});

test("where Node strips types, a TypeScript worker runs by default (tsRunner 'node'), and turning stripping off is refused", { skip: (!stripsTypes || !onNode) && 'no type stripping here' }, () => {
  const f = createSyncFn<(x: number) => number>(mts.replace('.mts', '.mjs')); // the .mts twin of a .mjs path
  assert.equal(f(41), 42);
  assert.throws(() => createSyncFn(mts, { tsRunner: TsRunner.Node, execArgv: [NO_STRIP_TYPES_FLAG] }), { message: /^type stripping is disabled explicitly/ });
});

test("runners synckit refuses for .mts files are refused alike, in synckit's words", () => {
  assert.throws(() => createSyncFn(mts, { tsRunner: TsRunner.EsbuildRegister }), { message: /^esbuild-register is not supported for \.mts files yet/ });
  assert.throws(() => createSyncFn(mts, { tsRunner: TsRunner.EsbuildRunner }), { message: /^esbuild-runner is not supported for \.mts files yet/ });
  assert.throws(() => createSyncFn(mts, { tsRunner: TsRunner.TSX }), { message: /^tsx is not supported for \.mts files yet/ });
});

test('a runner whose package is not installed is refused when the function is made, saying what to install', { skip: installed('@oxc-node/core') && '@oxc-node/core is installed here' }, () => {
  assert.throws(() => createSyncFn(mts, { tsRunner: TsRunner.OXC }), { code: 'ERR_SMPCALL_USAGE', message: /tsRunner 'oxc' loads the package @oxc-node\/core, which is not installed here .*npm i -D @oxc-node\/core/ });
});

test('SYNCKIT_TS_RUNNER and its twin SMPCALL_TS_RUNNER name the runner when the option does not', () => {
  const env = process.env;
  try {
    env.SYNCKIT_TS_RUNNER = 'tsx';
    env.SMPCALL_TS_RUNNER = 'bogus';
    assert.throws(() => createSyncFn(mts), { message: 'Unknown ts runner: bogus' });
    delete env.SMPCALL_TS_RUNNER;
    assert.throws(() => createSyncFn(mts), { message: /^tsx is not supported for \.mts files yet/ });
  } finally {
    delete env.SYNCKIT_TS_RUNNER;
    delete env.SMPCALL_TS_RUNNER;
  }
});
