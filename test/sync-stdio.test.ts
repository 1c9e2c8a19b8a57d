import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'smpcall/sync';
import { runScript } from './support/run-script.js';

const script = new URL('./fixtures/sync-stdio-script.js', import.meta.url);
// Holding the worker's output is for Node's worker pipes; Deno's and Bun's workers write otherwise.
const node = process.versions.bun === undefined && (globalThis as { Deno?: unknown }).Deno === undefined;

test("the worker's stdout and stderr are written before the call returns (or throws), and not lost when the process exits right after", { skip: !node && 'Node only' }, async () => {
  const r = await runScript(script, 'exit');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n'), [
    'worker: loading',
    'worker: call 1',
    'worker: after an await 1',
    'main: after call 1',
    'worker: before throwing',
    'main: caught thrown after logging',
    'worker: call 2',
    'worker: after an await 2',
    'main: after call 2',
  ]);
  assert.deepEqual(r.err.trim().split('\n'), ['worker: to stderr 1', 'worker: to stderr 2']);
});

/** Run the script with its stdout counted, not kept. */
function runCounted(mode: string, n: number): Promise<{ code: number | null; bytes: number; tail: string; err: string; lines: Map<string, number> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(script), mode, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let tail = '';
    let err = '';
    let partial = '';
    const lines = new Map<string, number>();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      bytes += Buffer.byteLength(s);
      tail = (tail + s).slice(-200);
      const parts = (partial + s).split('\n');
      partial = parts.pop()!;
      for (const l of parts) {
        const key = l.length > 40 ? `${l.slice(0, 1)}×${l.length}` : l;
        lines.set(key, (lines.get(key) ?? 0) + 1);
      }
    });
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => resolve({ code, bytes, tail, err, lines }));
  });
}

test('a large output (megabytes, in one write or thousands) arrives whole and in order', { skip: !node && 'Node only' }, async () => {
  const n = 3_000_000;
  const r = await runCounted('big', n);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual([...r.lines], [
    ['worker: loading', 1],
    [`a×${n}`, 1],
    ['b×999', n / 1000],
    ['worker: bytes end', 1],
    ['main: after the big call', 1],
  ]);
});

test('text cut into pieces keeps its characters whole', { skip: !node && 'Node only' }, async () => {
  const n = 700_000; // 2.8 MB of 4-byte characters, 1.4 M UTF-16 units
  const r = await runCounted('unicode', n);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.bytes, 'worker: loading\n'.length + 4 * n + 1 + 'main: after the unicode call\n'.length);
  assert.ok(!r.tail.includes('\ufffd'));
});

test("the worker's output goes through this thread's process.stdout, where a wrapper sees it", { skip: !node && 'Node only' }, () => {
  const call = createSyncFn<(op: string, n?: number) => Promise<number>>(new URL('./fixtures/sync-worker-stdio.js', import.meta.url));
  // Each stream's text, in order; adjacent writes to one stream may arrive joined or split.
  const seen: [string, string][] = [];
  const see = (stream: string, chunk: unknown): true => {
    const last = seen[seen.length - 1];
    if (last?.[0] === stream) last[1] += String(chunk);
    else seen.push([stream, String(chunk)]);
    return true;
  };
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => see('out', chunk)) as typeof write;
  process.stderr.write = ((chunk: string | Uint8Array) => see('err', chunk)) as typeof write;
  try {
    assert.equal(call('log', 7), 7);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  assert.deepEqual(seen, [
    ['out', 'worker: loading\nworker: call 7\n'],
    ['err', 'worker: to stderr 7\n'],
    ['out', 'worker: after an await 7\n'],
  ]);
});
