import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/lifecycle-script.js', import.meta.url));

/** Run the script in a child process; kill it (and say so) if it has not exited after 30 s. */
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
