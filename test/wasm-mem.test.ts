import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { WasmMem, memFor } from '#internal/runtime/wasm-mem.js';
import { allocateShared } from '#internal/runtime/shared-memory.js';
import { AtomicsMem } from '#internal/mem.js';

const isBun = (globalThis as { Bun?: unknown }).Bun !== undefined;

test('WasmMem: every atomic answers as Atomics does, on the same words', { skip: isBun && 'JavaScriptCore inlines Atomics: Bun keeps AtomicsMem' }, () => {
  const { buffer, memory } = allocateShared(65536);
  const wasm = WasmMem.over(memory, buffer);
  assert.ok(wasm instanceof WasmMem, 'V8 gets the WebAssembly atomics');
  const i32 = new Int32Array(buffer);
  const plain = new AtomicsMem(buffer);

  wasm.store(5, -7);
  assert.equal(Atomics.load(i32, 5), -7);
  Atomics.store(i32, 6, 0x7fffffff);
  assert.equal(wasm.load(6), 0x7fffffff);
  assert.equal(wasm.cas(6, 1, 2), 0x7fffffff, 'a failed CAS returns what is there');
  assert.equal(wasm.load(6), 0x7fffffff, 'and changes nothing');
  assert.equal(wasm.cas(6, 0x7fffffff, 3), 0x7fffffff, 'a CAS that succeeds returns the expected value');
  assert.equal(plain.load(6), 3);
  assert.equal(wasm.exchange(6, 9), 3);
  assert.equal(wasm.add(6, 0x7fffffff), 9, 'add returns the old value');
  assert.equal(Atomics.load(i32, 6), (9 + 0x7fffffff) | 0, 'and wraps as an Int32 does');
  // The last word of the memory: the word index is scaled to a byte address inside the module.
  const last = i32.length - 1;
  wasm.store(last, 42);
  assert.equal(i32[last], 42);
  assert.throws(() => wasm.load(i32.length), 'past the end traps, as Atomics throws');
  // Plain accesses and the futex words stay those of the Int32Array.
  wasm.write(8, 11);
  assert.equal(wasm.read(8), 11);
  assert.equal(wasm.wait(8, 12, 0), 'not-equal');
  assert.equal(wasm.notify(8, 1), 0);
  assert.equal(wasm.spinWhile(8, 12, 1), 11);
  assert.equal(wasm.spinWhile(8, 11, 1), 11, 'a spin that times out returns the value it waited on');
});

test('WasmMem: none without a memory object, without WebAssembly, or with a module missing exports: Atomics then', () => {
  const { buffer, memory } = allocateShared(65536);
  assert.equal(WasmMem.over(undefined, buffer), undefined);
  assert.ok(memFor(buffer, undefined) instanceof AtomicsMem);
  // A memory that does not say the buffer is its own (found by a hostile run: a worker whose
  // WebAssembly.Memory.prototype.buffer getter was wrapped got a Proxy, and the agent's plain reads
  // and its atomics went to two different places).
  assert.equal(WasmMem.over({ buffer: new SharedArrayBuffer(65536) }, buffer), undefined);
  assert.equal(WasmMem.over({ get buffer(): SharedArrayBuffer { throw new TypeError('no buffer'); } }, buffer), undefined);
  assert.ok(memFor(buffer, { buffer: new Proxy(buffer, {}) }) instanceof AtomicsMem);
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
  interface Api {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  }
  const real = saved.value as Api;
  try {
    Object.defineProperty(globalThis, 'WebAssembly', { configurable: true, value: undefined });
    assert.equal(WasmMem.over(memory, buffer), undefined);
    assert.ok(memFor(buffer, memory) instanceof AtomicsMem);
    // An embedder's wrapper of Instance that hands back only some exports (found by a hostile run: the
    // first CAS threw "this.w.cas is not a function").
    class PartialInstance {
      exports: object;
      constructor(module: object, imports: object) {
        const { load, store } = new real.Instance(module, imports).exports;
        this.exports = { load, store };
      }
    }
    Object.defineProperty(globalThis, 'WebAssembly', { configurable: true, value: { Module: real.Module, Instance: PartialInstance } });
    assert.equal(WasmMem.over(memory, buffer), undefined);
  } finally {
    Object.defineProperty(globalThis, 'WebAssembly', saved);
  }
});

test('WasmMem and Atomics on two threads: their read-modify-writes on one word are atomic together (one memory model)', { skip: isBun && 'Bun keeps AtomicsMem' }, async () => {
  const { buffer, memory } = allocateShared(65536);
  const wasm = WasmMem.over(memory, buffer)!;
  const rounds = 200_000;
  // The worker increments with Atomics.compareExchange loops, this thread with WebAssembly's CAS: a
  // lost update on either side would leave the count short.
  const worker = new Worker(
    `const { workerData: { buffer, rounds } } = require('node:worker_threads');
    const i32 = new Int32Array(buffer);
    Atomics.add(i32, 1, 1);
    while (Atomics.load(i32, 2) === 0);
    for (let k = 0; k < rounds; k++) { for (;;) { const v = Atomics.load(i32, 0); if (Atomics.compareExchange(i32, 0, v, v + 1) === v) break; } }`,
    { eval: true, workerData: { buffer, rounds } },
  );
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  while (wasm.load(1) === 0) await new Promise((r) => setTimeout(r, 1));
  wasm.store(2, 1);
  for (let k = 0; k < rounds; k++) {
    for (;;) {
      const v = wasm.load(0);
      if (wasm.cas(0, v, v + 1) === v) break;
    }
  }
  await exited;
  assert.equal(wasm.load(0), 2 * rounds);
});
