/**
 * The few things that differ between JavaScript runtimes for an agent already running: whether this
 * thread may block, how to hold the event loop open, and `Atomics.waitAsync`. Worker creation lives in
 * the per-runtime spawn adapters.
 */
export interface KeepAlive {
  ref(): void;
  unref(): void;
}

export interface Platform {
  /** May this thread block in Atomics.wait? (Not a browser's main thread.) */
  readonly canBlock: boolean;
  /** Logical cores this process may use. */
  readonly cores: number;
  /** A handle that keeps the event loop alive while ref'd. */
  keepAliveHandle(): KeepAlive;
  setImmediate(fn: () => void): void;
  /** Run `fn` every `ms` without holding the event loop open; returns how to stop it. */
  every(fn: () => void, ms: number): () => void;
  /** waitAsync on a word, without a timeout; null when it finished at once (the value differs). */
  waitAsync(i32: Int32Array, index: number, value: number): Promise<unknown> | null;
}

function probeCanBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

type Timer = { ref?: () => void; unref?: () => void };
type DenoNs = { unrefTimer(id: number): void; refTimer(id: number): void };

function keepAliveHandle(): KeepAlive {
  const deno = (globalThis as { Deno?: DenoNs }).Deno;
  const t = setInterval(() => {}, 1 << 30) as unknown as Timer | number;
  if (typeof t === 'number') {
    if (deno) {
      deno.unrefTimer(t);
      return { ref: () => deno.refTimer(t), unref: () => deno.unrefTimer(t) };
    }
    // Browsers: a page stays alive by itself; nothing to hold.
    clearInterval(t);
    return { ref() {}, unref() {} };
  }
  t.unref?.();
  return { ref: () => t.ref?.(), unref: () => t.unref?.() };
}

const setImmediateFn: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (fn) => (globalThis as unknown as { setImmediate(f: () => void): void }).setImmediate(fn)
    : (() => {
        // MessageChannel gives a task without setTimeout's clamping.
        const ch = new MessageChannel();
        const queue: (() => void)[] = [];
        (ch.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();
        return (fn: () => void) => {
          queue.push(fn);
          ch.port2.postMessage(0);
        };
      })();

function every(fn: () => void, ms: number): () => void {
  const deno = (globalThis as { Deno?: DenoNs }).Deno;
  const t = setInterval(fn, ms) as unknown as Timer | number;
  if (typeof t === 'number') deno?.unrefTimer(t);
  else t.unref?.();
  return () => clearInterval(t as Parameters<typeof clearInterval>[0]);
}

function waitAsync(i32: Int32Array, index: number, value: number): Promise<unknown> | null {
  const r = Atomics.waitAsync(i32, index, value);
  return r.async ? r.value : null;
}

function countCores(): number {
  const g = globalThis as {
    navigator?: { hardwareConcurrency?: number };
    process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } | undefined };
  };
  const n = g.navigator?.hardwareConcurrency ?? g.process?.getBuiltinModule?.('node:os')?.availableParallelism?.();
  return typeof n === 'number' && n >= 1 ? n : 1;
}

export const platform: Platform = {
  canBlock: probeCanBlock(),
  cores: countCores(),
  keepAliveHandle,
  setImmediate: setImmediateFn,
  every,
  waitAsync,
};
