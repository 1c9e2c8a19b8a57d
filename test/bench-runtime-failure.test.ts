import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRuntime, type RuntimeDef } from '#internal/bench/runtimes.js';
import { MARK } from '#internal/bench/messages.js';

const node: RuntimeDef = { label: 'fake', title: 'fake runtime', resolve: async () => ({ exe: process.execPath, pre: [] }) };
const dir = mkdtempSync(join(tmpdir(), 'smpcall-bench-'));
const script = (name: string, body: string): string => {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
};
const session = { name: 's1', title: 'one', agents: 1, threads: 0, refLabel: 'postMessage', cases: [], skipped: [], seconds: 1 };

test('a runtime whose case runner throws is reported as failed with the first line of the error, keeping the sessions it finished', async () => {
  const file = script(
    'throws.mjs',
    `process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ t: 'session', session: ${JSON.stringify(session)} }) + '\\n');
     console.log('noise a library printed');
     throw new TypeError('Worker is not a constructor\\n    more detail');`,
  );
  const run = await runRuntime(node, file, [], { timeoutMs: 30_000 });
  assert.match(run.failed ?? '', /^exited with 1: TypeError: Worker is not a constructor$/);
  assert.deepEqual(run.sessions.map((s) => s.name), ['s1']);
});

test('a runtime that hangs is killed at its time limit and reported as timed out', async () => {
  const file = script('hangs.mjs', `setInterval(() => {}, 1000);`);
  const run = await runRuntime(node, file, [], { timeoutMs: 500 });
  assert.match(run.failed ?? '', /^timed out after 1 s/);
});

test('a runtime that cannot be installed is reported as failed without running anything', async () => {
  const missing: RuntimeDef = { label: 'gone', title: 'gone', resolve: async () => Promise.reject(new Error('npx -y nothing@9 failed: 404\nmore')) };
  const run = await runRuntime(missing, 'unused.js', [], { timeoutMs: 500 });
  assert.equal(run.failed, 'npx -y nothing@9 failed: 404');
});
