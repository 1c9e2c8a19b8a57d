import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'smpcall/sync';

const worker = new URL('./fixtures/sync-worker-b.js', import.meta.url);
/** A path no function was made for yet (options are checked only then, as synckit does; nothing is loaded until a call). */
let fresh = 0;
const unused = (): string => `/smpcall-no-such-folder/worker-${fresh++}.js`;

test("a relative worker path, or a URL that is not a file, is refused in synckit's words", () => {
  assert.throws(() => createSyncFn('./fixtures/sync-worker-b.js'), { name: 'TypeError', code: 'ERR_SMPCALL_USAGE', message: /^`workerPath` must be absolute/ });
  assert.throws(() => createSyncFn(new URL('https://example.com/worker.js')), { code: 'ERR_SMPCALL_USAGE', message: /The URL must be of scheme file/ });
});

test('options that cannot mean anything are refused by name with ERR_SMPCALL_USAGE', () => {
  const cases: [object, RegExp][] = [
    [{ timeout: -1 }, /timeout/],
    [{ timeout: 'soon' }, /timeout/],
    [{ execArgv: '--no-warnings' }, /execArgv must be an array of strings/],
    [{ execArgv: [1] }, /execArgv/],
    [{ globalShims: 'yes' }, /globalShims/],
    [{ globalShims: [{}] }, /globalShims\[0\]\.moduleName/],
    [{ globalShims: [{ moduleName: 'x', globalName: 'not a name' }] }, /globalShims\[0\]\.globalName/],
    [{ transferList: new ArrayBuffer(1) }, /transferList must be an array/],
    [{ transferList: [{ plain: 'object' }] }, /transferList holds something that cannot be transferred/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => createSyncFn(unused(), options as never), { code: 'ERR_SMPCALL_USAGE', message }, JSON.stringify(options));
  }
});

test('synckit options are accepted as synckit takes them; a number is a timeout', () => {
  const f = createSyncFn<(x: number) => { b: number }>(worker, {
    execArgv: [],
    globalShims: false,
    transferList: [],
    // A TypeScript runner matters only for a TypeScript worker: ignored here, as synckit does, even unknown.
    tsRunner: 'bogus' as 'tsx',
    timeout: 60_000,
  });
  assert.equal(f(4).b, 8);
  const g = createSyncFn<(x: number) => { b: number }>(new URL('./fixtures/sync-worker-timeout.js', import.meta.url), 60_000);
  assert.equal(typeof g, 'function');
});

test('transferList: its objects are transferred away when the function is made, as synckit does', () => {
  const buffer = new ArrayBuffer(16);
  createSyncFn(unused(), { transferList: [buffer] });
  assert.equal(buffer.byteLength, 0);
});

test('SYNCKIT_TIMEOUT and its twin SMPCALL_TIMEOUT (which wins) set the timeout; the option wins over both', () => {
  const env = process.env;
  try {
    env.SYNCKIT_TIMEOUT = 'soon';
    assert.throws(() => createSyncFn(unused()), { code: 'ERR_SMPCALL_USAGE', message: /SYNCKIT_TIMEOUT must be a number of ms >= 0, got soon/ });
    env.SMPCALL_TIMEOUT = '1';
    // SMPCALL_TIMEOUT (1 ms) wins over the bad SYNCKIT_TIMEOUT; the call then times out in synckit's words.
    const late = createSyncFn<(op: string, arg?: unknown) => unknown>(new URL('./fixtures/sync-worker.js', import.meta.url));
    assert.throws(() => late('late', 200), { code: 'ERR_SMPCALL_TIMEOUT', message: /^Internal error: Atomics\.wait\(\) failed: timed-out/ });
    // The option wins over the variables.
    // (another path to the same file: the function for the first one is cached with its timeout)
    const patient = createSyncFn<(op: string, arg?: unknown) => unknown>(fileURLToPath(new URL('./fixtures/sync-worker.js', import.meta.url)).replace('fixtures', 'fixtures/.'), 60_000);
    assert.equal(patient('late', 20), 'late');
  } finally {
    delete env.SYNCKIT_TIMEOUT;
    delete env.SMPCALL_TIMEOUT;
  }
});
