import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

test('start() rejects, naming the cause, when a worker cannot load its calls module, instead of hanging', async () => {
  const cases: [file: string, code: string, message: RegExp][] = [
    // A top-level await that never settles: Node ends such a worker (exit code 13), Deno keeps it alive
    // and the start time limit ends the wait.
    ['stuck-worker-calls.js', 'ERR_SMPCALL_START_FAILED', /worker \d exited|not every worker was serving after 3000 ms/],
    ['exiting-worker-calls.js', 'ERR_SMPCALL_START_FAILED', /worker \d exited/], // process.exit while importing
    ['missing-calls.js', 'ERR_SMPCALL_START_FAILED', /could not import/],
    ['no-default-calls.js', 'ERR_SMPCALL_USAGE', /export default defineCalls/],
  ];
  for (const [file, code, message] of cases) {
    await assert.rejects(start({ workers: 2, calls: fixture(file), startTimeoutMs: 3000 }), (e: Error & { code: string }) => {
      assert.equal(e.code, code, file);
      assert.match(e.message, message, file);
      return true;
    });
  }
});

test('start() gives up after startTimeoutMs when a worker is still loading its calls module, and stops the workers', async () => {
  const began = Date.now();
  await assert.rejects(start({ workers: 1, calls: fixture('slow-loading-calls.js'), startTimeoutMs: 500 }), (e: Error & { code: string }) => {
    assert.equal(e.code, 'ERR_SMPCALL_START_FAILED');
    assert.match(e.message, /not every worker was serving after 500 ms/);
    return true;
  });
  // Told long before the module would have loaded (not a timing assertion: 30 s is the module's own wait).
  assert.ok(Date.now() - began < 30_000);
});

test("start() gives up after startTimeoutMs when the main thread's own import of the calls module never finishes", async () => {
  await assert.rejects(start({ workers: 1, calls: fixture('stuck-everywhere-calls.js'), startTimeoutMs: 300 }), (e: Error & { code: string; cause?: Error }) => {
    assert.equal(e.code, 'ERR_SMPCALL_START_FAILED');
    assert.match(e.message, /could not import the calls module/);
    assert.match(String(e.cause?.message), /did not finish within startTimeoutMs \(300 ms\)/);
    return true;
  });
});

test('a call table given as an object (a bundled page\'s form) needs the worker option where there are workers, and the worker option is for pages only', async () => {
  const table = (await import('./fixtures/core-calls.js')).default;
  const refused = async (options: Parameters<typeof start>[0], message: RegExp): Promise<void> => {
    await assert.rejects(start(options), (e: Error & { code: string }) => {
      assert.equal(e.code, 'ERR_SMPCALL_USAGE');
      assert.match(e.message, message);
      return true;
    });
  };
  await refused({ workers: 1, calls: table }, /calls is a table, so the workers need it from their own module: pass worker: .*serveCalls\(calls\) from 'smpcall\/web-worker'/);
  await refused({ workers: 1, calls: fixture('core-calls.js'), worker: () => ({}) }, /the worker option makes Web Workers, for pages; on (node|deno|bun) pass calls as the URL/);
  await refused({ workers: 1, calls: fixture('core-calls.js'), worker: 42 as never }, /worker must be a function/);
  // Without workers there is nothing to import the table: the object is enough.
  const alone = await start<typeof table>({ workers: 0, calls: table });
  assert.equal(await alone.call(0, 'add', 2, 3), 5);
  await alone.close();
});

test("serveCalls() from 'smpcall/web-worker' refuses to run anywhere but in a Web Worker", async () => {
  const { serveCalls } = await import('smpcall/web-worker');
  const table = (await import('./fixtures/core-calls.js')).default;
  assert.throws(() => serveCalls(table), (e: Error & { code: string }) => e.code === 'ERR_SMPCALL_USAGE' && /runs in a Web Worker made by start\(\)'s worker option/.test(e.message));
});

test('start() refuses, naming Atomics.waitAsync, in a runtime without it (Firefox before 145), instead of starting agents that cannot park', async () => {
  const descriptor = Object.getOwnPropertyDescriptor(Atomics, 'waitAsync')!;
  // Gone only while start() runs up to its first await: the check comes before it, and no other code
  // of this process runs meanwhile.
  Reflect.deleteProperty(Atomics, 'waitAsync');
  let started: Promise<unknown>;
  try {
    started = start({ workers: 1, calls: fixture('core-calls.js') });
  } finally {
    Object.defineProperty(Atomics, 'waitAsync', descriptor);
  }
  await assert.rejects(started, (e: Error & { code: string }) => {
    assert.equal(e.code, 'ERR_SMPCALL_START_FAILED');
    assert.match(e.message, /Atomics\.waitAsync is not available/);
    return true;
  });
});
