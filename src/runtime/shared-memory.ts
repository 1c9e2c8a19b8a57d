/**
 * The domain's shared memory, aligned to the cache. `layout.ts` places every hot line, cold line and
 * slot at a multiple of 64 bytes from the buffer's start, which helps only if the buffer starts on a
 * line. `new SharedArrayBuffer(n)` does not promise that, and on Node and Deno it does not: their
 * allocator hands out large buffers 16 bytes past a page (glibc's chunk header), so each of our
 * 64-byte lines straddled two of the hardware's, and one agent's words shared a line with the next
 * agent's. (Measured by timing stores from one thread against a word another thread writes: the
 * contended range ran from byte 240 to 303 of the buffer, not 256 to 319. Bun's buffers, and every
 * WebAssembly memory, were aligned.)
 *
 * A shared `WebAssembly.Memory` is page-aligned by definition of how engines reserve it, and its
 * `buffer` is an ordinary SharedArrayBuffer that workers receive as any other. Its size is a whole
 * number of 64 KiB pages. Where WebAssembly is missing (Node's `--jitless`, some locked-down
 * embedders) or refuses, a plain SharedArrayBuffer still works, only without that alignment.
 */
import type { SharedWasmMemory } from './wasm-mem.js';

const WASM_PAGE = 65536;
/** WebAssembly memories (32-bit) hold at most this many pages. */
const WASM_MAX_PAGES = 65536;

type WasmMemoryCtor = new (d: { initial: number; maximum: number; shared: boolean }) => SharedWasmMemory;

/** The domain's memory: its buffer, and the WebAssembly memory that owns it, if one does (wasm-mem.ts). */
export interface SharedMemory {
  buffer: SharedArrayBuffer;
  memory: SharedWasmMemory | undefined;
}

/**
 * Can `memory` go to a worker? Workers are sent the memory object (wasm-mem.ts), and a program may
 * have wrapped `WebAssembly.Memory` (instrumentation, a polyfill) so that it returns an ordinary
 * object around a real memory: its buffer still serves, the object does not travel (found by a
 * hostile run: start() rejected with a raw DataCloneError, and Deno and Bun never exited). Asked of
 * the one thing that sends it, a real postMessage (a port of a fresh channel): `structuredClone` may
 * be missing or a polyfill that clones anything (found by a second run, in browsers). Posting a
 * shared memory copies nothing; the message is never read, and the ports are closed at once.
 */
function cloneable(memory: SharedWasmMemory): boolean {
  const Channel = (globalThis as { MessageChannel?: new () => { port1: Port; port2: Port } }).MessageChannel;
  if (Channel === undefined) return false;
  let ports: { port1: Port; port2: Port } | undefined;
  try {
    ports = new Channel();
    ports.port1.postMessage(memory);
    return true;
  } catch {
    return false;
  } finally {
    ports?.port1.close();
    ports?.port2.close();
  }
}

interface Port {
  postMessage(m: unknown): void;
  close(): void;
}

export function allocateShared(bytes: number): SharedMemory {
  const Memory = (globalThis as { WebAssembly?: { Memory?: WasmMemoryCtor } }).WebAssembly?.Memory;
  const pages = Math.ceil(bytes / WASM_PAGE);
  if (Memory !== undefined && pages > 0 && pages <= WASM_MAX_PAGES) {
    try {
      const memory = new Memory({ initial: pages, maximum: pages, shared: true });
      if (memory.buffer instanceof SharedArrayBuffer) return { buffer: memory.buffer, memory: cloneable(memory) ? memory : undefined };
    } catch {
      // Refused (address space, an embedder's policy): fall back to the plain buffer below.
    }
  }
  return { buffer: new SharedArrayBuffer(bytes), memory: undefined };
}
