import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/sync-script.js', import.meta.url));

function run(mode: string): Promise<{ code: number | null; killed: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, out, err });
    });
  });
}

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
