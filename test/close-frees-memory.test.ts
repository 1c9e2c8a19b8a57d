import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);
const isNode = (globalThis as { Deno?: unknown; Bun?: unknown }).Deno === undefined && (globalThis as { Bun?: unknown }).Bun === undefined;

/** V8's gc(), exposed at run time (Node only: the flag must be set before a fresh context asks for it). */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// Found by a hostile run: the main thread's pump of a workers: 0 domain was parked in Atomics.waitAsync
// when close() stopped it, nobody ever rang it, and the runtime kept the pending wait, its Int32Array
// and the domain's memory alive: 300 start/close cycles left 3,000 GiB of address space reserved (a
// WebAssembly memory reserves ~10 GiB).
test('a closed domain can be collected, its memory with it (workers: 0 and 1)', { skip: !isNode && 'needs V8 flags at run time (Node)' }, async () => {
  const gc = exposeGc();
  let collected = 0;
  const registry = new FinalizationRegistry<number>(() => collected++);
  const cycles = 12;
  for (let i = 0; i < cycles; i++) {
    const d = await start<typeof calls>({ workers: i % 2, calls: url });
    assert.equal(d.callSync(0, 'add', i, 1), i + 1);
    // Parked: the pump has been idle past its spin and waits on its bell.
    await new Promise((r) => setTimeout(r, 5));
    registry.register((d as unknown as Record<symbol, object>)[Symbol.for('smpcall.buffer')]!, i);
    await d.close();
  }
  for (let k = 0; k < 20 && collected < cycles - 1; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  // The last domain's buffer may still be held by the loop's last frame; every earlier one must go.
  assert.ok(collected >= cycles - 1, `${collected} of ${cycles} closed domains' buffers were collected`);
});
