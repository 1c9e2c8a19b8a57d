/**
 * The production `Mem` with its atomics done by WebAssembly, where that is cheaper than `Atomics`.
 *
 * V8 (Node, Deno, Chromium) does not inline `Atomics.load`/`store`/`compareExchange` into optimized
 * code: each is a call into a runtime builtin, 7.4–9 ns on this VM against 0.8 ns for a plain read. A
 * call from optimized JavaScript into a tiny WebAssembly function whose body is one `i32.atomic.*`
 * instruction costs 3.4–3.7 ns (a store 3.5–5.4 ns, with its fence) on Node 20 and 24 and Deno 2.
 * A `callSync` does about five atomics on its critical path and three in every spin round.
 * JavaScriptCore (Bun) inlines `Atomics` (2.1 ns), so there the plain `AtomicsMem` stays.
 *
 * Memory ordering: WebAssembly's atomic accesses are sequentially consistent, and JavaScript's
 * `Atomics` and WebAssembly's atomics on one shared memory are ordered by the same memory model (the
 * ECMAScript model, which the WebAssembly threads proposal adopts). So agents using this `Mem` and a
 * thread using `AtomicsMem` on the same words (the guardian's cleaner of dead agents does) still agree
 * on one total order of every SeqCst access, which is all the protocol relies on (mem.ts). Plain
 * reads and writes stay plain `Int32Array` accesses.
 *
 * The module is 170 bytes, assembled here rather than shipped as a file, so the package needs no
 * loader and a bundler nothing special. It imports the domain's own `WebAssembly.Memory` (the object,
 * not its buffer: a module can only import a memory object, so workers are sent the object too).
 */
import { AtomicsMem, type Mem } from '../mem.js';

interface WasmAtomics {
  load(index: number): number;
  store(index: number, value: number): void;
  cas(index: number, expected: number, value: number): number;
  exchange(index: number, value: number): number;
  add(index: number, value: number): number;
}

/** The shared `WebAssembly.Memory` a domain's buffer belongs to, as far as this module needs it. */
export interface SharedWasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Whether this engine is V8, whose `Atomics` are builtin calls (the one engine this is measured faster on). */
function engineIsV8(): boolean {
  const g = globalThis as {
    process?: { versions?: { v8?: unknown; bun?: unknown } };
    Deno?: { version?: { v8?: unknown } };
    navigator?: { userAgentData?: { brands?: { brand: string }[] } };
  };
  // Bun sets process.versions.v8 for compatibility but runs JavaScriptCore.
  if (g.process?.versions?.bun !== undefined) return false;
  if (typeof g.process?.versions?.v8 === 'string' || typeof g.Deno?.version?.v8 === 'string') return true;
  // Browsers: Chromium names itself in the client hints; V8 alone has Intl.v8BreakIterator.
  if (g.navigator?.userAgentData?.brands?.some((b) => b.brand === 'Chromium') === true) return true;
  return typeof (Intl as { v8BreakIterator?: unknown }).v8BreakIterator === 'function';
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

/** The module: imports "m"."memory" (shared, any size) and exports one function per atomic. */
function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  // (i32) -> i32, (i32, i32) -> (), (i32, i32, i32) -> i32, (i32, i32) -> i32
  const types = [4, 0x60, 1, I32, 1, I32, 0x60, 2, I32, I32, 0, 0x60, 3, I32, I32, I32, 1, I32, 0x60, 2, I32, I32, 1, I32];
  const [T_I_I, T_II, T_III_I, T_II_I] = [0, 1, 2, 3];
  // Limits flag 3: shared, with a maximum. 0 .. 65536 pages takes any shared memory.
  const imports = [1, ...name('m'), ...name('memory'), 0x02, 0x03, 0, ...leb(65536)];
  // Each body: the word index times 4 is the byte address (i32.const 2, i32.shl), then the operands,
  // then the atomic op (prefix 0xfe) with its memarg: alignment 2^2, offset 0.
  const address = [0x20, 0, 0x41, 2, 0x74];
  const op = (code: number): number[] => [0xfe, code, 2, 0];
  const fns: [string, number, number[]][] = [
    ['load', T_I_I, [...address, ...op(0x10)]], // i32.atomic.load
    ['store', T_II, [...address, 0x20, 1, ...op(0x17)]], // i32.atomic.store
    ['cas', T_III_I, [...address, 0x20, 1, 0x20, 2, ...op(0x48)]], // i32.atomic.rmw.cmpxchg
    ['exchange', T_II_I, [...address, 0x20, 1, ...op(0x41)]], // i32.atomic.rmw.xchg
    ['add', T_II_I, [...address, 0x20, 1, ...op(0x1e)]], // i32.atomic.rmw.add
  ];
  const bytes = [
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, [fns.length, ...fns.map(([, type]) => type)]),
    ...section(7, [fns.length, ...fns.flatMap(([n], k) => [...name(n), 0, k])]),
    ...section(
      10,
      [fns.length, ...fns.flatMap(([, , body]) => {
        const fn = [0, ...body, 0x0b]; // no locals; end
        return [...leb(fn.length), ...fn];
      })],
    ),
  ];
  return new Uint8Array(bytes);
}

let compiled: object | undefined;

/** The atomics over `memory`, or undefined where WebAssembly is missing, refused, or not the faster way. */
function instantiate(memory: SharedWasmMemory): WasmAtomics | undefined {
  const api = wasmApi();
  if (api === undefined || !engineIsV8()) return undefined;
  try {
    compiled ??= new api.Module(moduleBytes());
    const e = new api.Instance(compiled, { m: { memory } }).exports as unknown as WasmAtomics;
    // Every export, or none: an embedder's wrapper of WebAssembly.Instance may hand back less.
    const complete = [e.load, e.store, e.cas, e.exchange, e.add].every((f) => typeof f === 'function');
    return complete ? e : undefined;
  } catch {
    // A page whose policy forbids WebAssembly, or a memory the import refuses: plain Atomics work.
    return undefined;
  }
}

/** A `Mem` with its Int32Array view of the whole buffer (the pump's waitAsync takes the view). */
export type ViewedMem = Mem & { readonly i32: Int32Array };

/**
 * The `Mem` an agent of this thread uses over the domain's buffer: WebAssembly's atomics through the
 * memory that owns it where that is faster, else `Atomics`.
 */
export function memFor(buffer: SharedArrayBuffer, memory: SharedWasmMemory | undefined): ViewedMem {
  return WasmMem.over(memory, buffer) ?? new AtomicsMem(buffer);
}

/**
 * `AtomicsMem` with its atomic operations done by the module. Plain reads and writes stay the
 * Int32Array's, and so do the futex operations, which are system calls either way (JavaScript's, which
 * a page's main thread may refuse exactly as it refuses WebAssembly's: the agent knows, by
 * platform.canBlock). `spinWhile` spins on `load`, so on this one's.
 */
export class WasmMem extends AtomicsMem {
  private readonly w: WasmAtomics;
  private constructor(buffer: SharedArrayBuffer, w: WasmAtomics) {
    super(buffer);
    this.w = w;
  }

  /**
   * A WasmMem over `buffer` through `memory`, or undefined where `AtomicsMem` is the one to use. Only
   * when `memory` says `buffer` is its own: the atomics go through the memory and everything else
   * through the buffer, and a `buffer` getter wrapped by the program (found by a hostile run, in a
   * Chromium worker: a Proxy of the buffer) had the two apart, the agent failing at every turn.
   */
  static over(memory: SharedWasmMemory | undefined, buffer: SharedArrayBuffer): WasmMem | undefined {
    if (memory === undefined) return undefined;
    let own: unknown;
    try {
      own = memory.buffer;
    } catch {
      return undefined;
    }
    if (own !== buffer) return undefined;
    const w = instantiate(memory);
    return w === undefined ? undefined : new WasmMem(buffer, w);
  }

  override load(index: number): number {
    return this.w.load(index);
  }
  override store(index: number, value: number): void {
    this.w.store(index, value);
  }
  override cas(index: number, expected: number, value: number): number {
    return this.w.cas(index, expected, value);
  }
  override exchange(index: number, value: number): number {
    return this.w.exchange(index, value);
  }
  override add(index: number, value: number): number {
    return this.w.add(index, value);
  }
}
