import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

test('start() rejects, naming the cause, when a worker cannot load its calls module, instead of hanging', async () => {
  const cases: [file: string, code: string, message: RegExp][] = [
    ['stuck-worker-calls.js', 'ERR_SMPCALL_START_FAILED', /worker \d exited/], // a top-level await that never settles
    ['exiting-worker-calls.js', 'ERR_SMPCALL_START_FAILED', /worker \d exited/], // process.exit while importing
    ['missing-calls.js', 'ERR_SMPCALL_START_FAILED', /could not import/],
    ['no-default-calls.js', 'ERR_SMPCALL_USAGE', /export default defineCalls/],
  ];
  for (const [file, code, message] of cases) {
    await assert.rejects(start({ workers: 2, calls: fixture(file) }), (e: Error & { code: string }) => {
      assert.equal(e.code, code, file);
      assert.match(e.message, message, file);
      return true;
    });
  }
});
