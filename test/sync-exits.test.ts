import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from './support/run-script.js';

const script = new URL('./fixtures/sync-script.js', import.meta.url);
const run = (mode: string) => runScript(script, mode);

test('a script that uses smpcall/sync exits by itself: after plain calls, a timed-out call, or a dead worker', async () => {
  const cases: [mode: string, out: RegExp][] = [
    ['plain', /out=a$/m],
    ['hung', /out=a,ERR_SMPCALL_TIMEOUT$/m],
    ['died', /out=a,ERR_SMPCALL_AGENT_GONE$/m],
  ];
  const runs = await Promise.all(cases.map(([mode]) => run(mode)));
  cases.forEach(([mode, out], k) => {
    const r = runs[k]!;
    assert.equal(r.killed, false, `${mode}: the process did not exit by itself\n${r.err}`);
    assert.equal(r.code, 0, `${mode}: exit code\n${r.err}`);
    assert.match(r.out, out, mode);
  });
});
