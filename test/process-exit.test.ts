import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from './support/run-script.js';

const script = new URL('./fixtures/lifecycle-script.js', import.meta.url);
const run = (mode: string) => runScript(script, mode);

test('a script that starts a domain and does not close it exits by itself however it ends', async () => {
  const cases: [mode: string, code: number, out: RegExp][] = [
    ['plain', 0, /sum=10/],
    ['close', 0, /sum=10/],
    ['posts-left', 0, /sum=10/],
    ['worker-interval', 0, /sum=10/],
    ['pending-call', 0, /late=rrr/], // the process waited for the call it had not awaited
    ['worker-died', 0, /gone=ERR_SMPCALL_AGENT_GONE/],
    ['throws', 1, /sum=10/],
  ];
  const runs = await Promise.all(cases.map(([mode]) => run(mode)));
  cases.forEach(([mode, code, out], k) => {
    const r = runs[k]!;
    assert.equal(r.killed, false, `${mode}: the process did not exit by itself\n${r.err}`);
    assert.equal(r.code, code, `${mode}: exit code\n${r.err}`);
    assert.match(r.out, out, mode);
  });
});
