import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateShared } from '#internal/runtime/shared-memory.js';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('the domain buffer is a shared WebAssembly memory (page-aligned, so the layout\'s 64-byte lines are the cache\'s), of whole 64 KiB pages', () => {
  const { buffer, memory } = allocateShared(100_000);
  assert.ok(buffer instanceof SharedArrayBuffer);
  assert.ok(memory !== undefined && memory.buffer === buffer, 'the memory that owns the buffer comes with it (for WebAssembly atomics)');
  assert.equal(buffer.byteLength, 2 * 65536, 'rounded up to whole wasm pages');
  const i32 = new Int32Array(buffer);
  Atomics.store(i32, 7, 42);
  assert.equal(Atomics.load(i32, 7), 42);
});

test('without WebAssembly (or when it refuses the memory) the buffer is a plain SharedArrayBuffer of the size asked', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
  try {
    Object.defineProperty(globalThis, 'WebAssembly', {
      configurable: true,
      value: {
        Memory: class {
          constructor() {
            throw new RangeError('WebAssembly.Memory(): could not allocate memory');
          }
        },
      },
    });
    const refused = allocateShared(1000);
    assert.ok(refused.buffer instanceof SharedArrayBuffer);
    assert.equal(refused.buffer.byteLength, 1000);
    assert.equal(refused.memory, undefined);
    Object.defineProperty(globalThis, 'WebAssembly', { configurable: true, value: undefined });
    assert.equal(allocateShared(4096).buffer.byteLength, 4096);
  } finally {
    Object.defineProperty(globalThis, 'WebAssembly', saved);
  }
});

test('a domain on a WebAssembly memory works across threads: its workers receive the buffer and answer', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const buffer = (d as unknown as Record<symbol, SharedArrayBuffer>)[Symbol.for('smpcall.buffer')]!;
    assert.equal(buffer.byteLength % 65536, 0, 'the domain allocated its buffer through allocateShared');
    assert.deepEqual(await d.onEach('whoami'), [0, 1, 2]);
    assert.equal(d.callSync(2, 'add', 40, 2), 42);
  } finally {
    await d.close();
  }
});

// Found by a hostile run: a program that wraps WebAssembly.Memory (instrumentation, a polyfill) so that it
// returns an ordinary object around a real memory made start() reject with a raw DataCloneError (the
// object cannot be sent to a worker), and Deno and Bun then never exited.
test('a wrapped WebAssembly.Memory: its buffer serves, the object is not sent to workers, and start() works (also without structuredClone)', async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
  const real = saved.value as { Memory: new (d: object) => { buffer: SharedArrayBuffer; grow(n: number): number } };
  const Wrapped = function (this: unknown, d: object) {
    const m = new real.Memory(d);
    return { get buffer() { return m.buffer; }, grow: (n: number) => m.grow(n) };
  };
  Object.defineProperty(globalThis, 'WebAssembly', { configurable: true, value: { ...real, Memory: Wrapped, Module: (real as unknown as { Module: unknown }).Module, Instance: (real as unknown as { Instance: unknown }).Instance } });
  // A second run, in browsers: with structuredClone missing (or a polyfill that clones anything) the
  // check let the wrapper through; it asks a real postMessage now.
  const savedClone = Object.getOwnPropertyDescriptor(globalThis, 'structuredClone')!;
  Object.defineProperty(globalThis, 'structuredClone', { configurable: true, writable: true, value: undefined });
  try {
    const { buffer, memory } = allocateShared(100_000);
    assert.ok(buffer instanceof SharedArrayBuffer);
    assert.equal(memory, undefined, 'an object that cannot travel to a worker is not offered');
    const d = await start<typeof calls>({ workers: 1, calls: url });
    try {
      assert.equal(d.callSync(1, 'add', 40, 2), 42);
    } finally {
      await d.close();
    }
  } finally {
    Object.defineProperty(globalThis, 'WebAssembly', saved);
    Object.defineProperty(globalThis, 'structuredClone', savedClone);
  }
});
