import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'smpcall/sync';
import { writeTemp } from './fixtures/sync-temp.js';

type Report = { execArgv: string[]; preloaded: unknown; globals: Record<string, string> };
type Env = (...globals: string[]) => Report;
const envWorker = fileURLToPath(new URL('./fixtures/sync-worker-env.js', import.meta.url));
/** Another path to the worker file: a function is cached per path, with the options it was made with. */
let copies = 0;
const envPath = (): string => envWorker.replace('fixtures', `fixtures${'/.'.repeat(++copies)}`);
const preload = writeTemp('preload.cjs', "globalThis.__smpcallPreload = 'preloaded';\n");
// Node's worker_threads flags; Deno's and Bun's layers take no execArgv.
const node = process.versions.bun === undefined && (globalThis as { Deno?: unknown }).Deno === undefined;

test('without execArgv the worker inherits the process\'s flags', { skip: !node && 'Node only' }, () => {
  const r = createSyncFn<Env>(envWorker)();
  assert.deepEqual(r.execArgv, process.execArgv);
  assert.equal(r.preloaded, null);
});

test('execArgv: the worker gets these flags (and not the process\'s), as synckit does', { skip: !node && 'Node only' }, () => {
  const r = createSyncFn<Env>(envPath(), { execArgv: ['--no-deprecation', '--require', preload] })();
  assert.deepEqual(r.execArgv, ['--no-deprecation', '--require', preload]);
  assert.equal(r.preloaded, 'preloaded');
});

test('SYNCKIT_EXEC_ARGV (comma-separated) and its twin SMPCALL_EXEC_ARGV, which wins; the option wins over both', { skip: !node && 'Node only' }, () => {
  const env = process.env;
  try {
    env.SYNCKIT_EXEC_ARGV = '--no-deprecation';
    assert.deepEqual(createSyncFn<Env>(envPath())().execArgv, ['--no-deprecation']);
    env.SMPCALL_EXEC_ARGV = `--require,${preload}`;
    const r = createSyncFn<Env>(envPath())();
    assert.deepEqual(r.execArgv, ['--require', preload]);
    assert.equal(r.preloaded, 'preloaded');
    assert.deepEqual(createSyncFn<Env>(envPath(), { execArgv: ['--no-warnings'] })().execArgv, ['--no-warnings']);
  } finally {
    delete env.SYNCKIT_EXEC_ARGV;
    delete env.SMPCALL_EXEC_ARGV;
  }
});

test('globalShims: modules imported into the worker before its file, bound to globals as synckit binds them', () => {
  const shim = writeTemp('shim.mjs', "export default 'the default';\nexport const named = 'the named';\nglobalThis.__shimLoaded = 'yes';\n");
  const r = createSyncFn<Env>(envPath(), {
    globalShims: [
      { moduleName: shim, globalName: 'shimDefault' },
      { moduleName: shim, globalName: 'shimNamed', named: 'named' },
      { moduleName: shim, globalName: 'shimNamespace', named: null },
      { moduleName: 'node:perf_hooks', globalName: 'performance', named: 'performance' }, // there already: kept
      { moduleName: shim, globalName: 'escape', conditional: false }, // replaced even though it exists
      { moduleName: 'smpcall-no-such-package' }, // not installed: skipped, as synckit skips it
    ],
  })('shimDefault', 'shimNamed', 'shimNamespace', 'performance', 'escape', '__shimLoaded');
  assert.deepEqual(r.globals, {
    shimDefault: 'the default',
    shimNamed: 'the named',
    shimNamespace: 'object',
    performance: 'object',
    escape: 'the default',
    __shimLoaded: 'yes',
  });
});

test('SYNCKIT_GLOBAL_SHIMS=1 (or SMPCALL_GLOBAL_SHIMS) installs synckit\'s preset: what is missing and installed', () => {
  const env = process.env;
  try {
    env.SMPCALL_GLOBAL_SHIMS = 'true';
    const r = createSyncFn<Env>(envPath())('performance', 'fetch');
    assert.equal(r.globals.performance, 'object');
    assert.equal(r.globals.fetch, 'function'); // Node's own (node-fetch, not installed, would only fill a gap)
  } finally {
    delete env.SMPCALL_GLOBAL_SHIMS;
  }
});
