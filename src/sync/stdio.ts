/**
 * A sync worker's stdout and stderr, written by the calling thread before the call returns.
 *
 * A worker thread's `process.stdout` is a pipe to its parent, read by the parent's event loop: the
 * caller is blocked in the call, so the worker's `console.log` would show only after the call returned,
 * and be lost if the caller then called `process.exit()`. So, as synckit does, while a call (or the
 * worker file's loading) is in progress the worker keeps what it writes (the streams' `_writev`, which
 * every write goes through) and sends it with the call's result; the caller writes it to its own
 * `process.stdout` / `process.stderr` (where anything that wraps them sees it) before returning or
 * throwing. Output beyond 256 KiB is not held: it is handed to the caller at once, during the call,
 * through a nested blocking call to it (the caller serves calls while it waits), in pieces of at most
 * 1 MiB, so any amount is delivered in order. Writes while no call runs go the ordinary way.
 *
 * What is lost, as with synckit: output of a call abandoned by its timeout that was still held when it
 * ended (no one receives that result).
 */

/** Stream and data, alternating: `[1, 'text', 2, bytes, ...]` (1: stdout, 2: stderr). */
export type Output = (number | string | Uint8Array)[];

interface Chunk {
  chunk: unknown;
  encoding: BufferEncoding | 'buffer';
}
type Writev = (this: unknown, chunks: Chunk[], cb: (error?: Error | null) => void) => void;

/** Output held past this is handed over during the call. */
const HOLD_BYTES = 256 << 10;
/** At most this much per hand-over (a nested call's payload). */
const PIECE = 1 << 20;

export interface Capture {
  /** A call (or the loading) starts: hold what is written. */
  begin(): void;
  /** It ended; anything held that no result took goes the ordinary way. */
  end(): void;
  /** What is held, for the result being sent (undefined: nothing). */
  take(): Output | undefined;
}

function size(data: string | Uint8Array): number {
  return typeof data === 'string' ? data.length * 3 : data.byteLength;
}

/** Cut `data` into pieces of at most PIECE bytes, never inside a surrogate pair. */
function pieces(data: string | Uint8Array): (string | Uint8Array)[] {
  if (size(data) <= PIECE) return [data];
  const out: (string | Uint8Array)[] = [];
  if (typeof data !== 'string') {
    for (let i = 0; i < data.byteLength; i += PIECE) out.push(data.subarray(i, i + PIECE));
    return out;
  }
  const step = Math.floor(PIECE / 3);
  for (let i = 0; i < data.length; ) {
    let j = Math.min(i + step, data.length);
    const c = data.charCodeAt(j - 1);
    if (j < data.length && c >= 0xd800 && c <= 0xdbff) j--;
    out.push(data.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * Worker side: hold stdout/stderr writes while a call runs. `handOver` sends output to the caller
 * now and says whether it could. Undefined where the streams are not Node's worker pipes.
 */
export function captureStdio(handOver: (out: Output) => boolean): Capture | undefined {
  const streams = [process.stdout, process.stderr] as unknown as { _writev?: Writev }[];
  const originals = streams.map((s) => s._writev);
  if (!originals.every((w) => typeof w === 'function')) return undefined;
  let busy = 0;
  let held: Output = [];
  let bytes = 0;

  /** Write the ordinary way (through the parent's event loop). */
  const passOn = (out: Output): void => {
    for (let i = 0; i < out.length; i += 2) {
      const k = out[i] === 2 ? 1 : 0;
      originals[k]!.call(streams[k], [{ chunk: out[i + 1], encoding: typeof out[i + 1] === 'string' ? 'utf8' : 'buffer' }], () => {});
    }
  };
  const hold = (fd: number, chunk: unknown, encoding: Chunk['encoding']): void => {
    let data: string | Uint8Array;
    if (typeof chunk === 'string') data = encoding === 'utf8' || encoding === 'utf-8' || encoding === 'buffer' ? chunk : new Uint8Array(Buffer.from(chunk, encoding));
    else if (chunk instanceof Uint8Array) data = new Uint8Array(chunk);
    else data = String(chunk);
    const n = held.length;
    if (n > 0 && held[n - 2] === fd && typeof data === 'string' && typeof held[n - 1] === 'string' && size(held[n - 1] as string) < HOLD_BYTES) held[n - 1] += data;
    else held.push(fd, data);
    bytes += size(data);
  };
  const handOverHeld = (): void => {
    const out = held;
    held = [];
    bytes = 0;
    let batch: Output = [];
    let batchBytes = 0;
    const send = (): void => {
      if (batch.length > 0 && !handOver(batch)) passOn(batch);
      batch = [];
      batchBytes = 0;
    };
    for (let i = 0; i < out.length; i += 2) {
      for (const piece of pieces(out[i + 1] as string | Uint8Array)) {
        if (batchBytes + size(piece) > PIECE) send();
        batch.push(out[i]!, piece);
        batchBytes += size(piece);
      }
    }
    send();
  };

  streams.forEach((s, k) => {
    const fd = k + 1;
    const original = originals[k]!;
    s._writev = function (chunks: Chunk[], cb: (error?: Error | null) => void): void {
      if (busy === 0) return original.call(this, chunks, cb);
      for (const { chunk, encoding } of chunks) hold(fd, chunk, encoding);
      cb();
      if (bytes > HOLD_BYTES) handOverHeld();
    };
  });

  return {
    begin() {
      busy++;
    },
    end() {
      if (--busy === 0 && held.length > 0) {
        const out = held;
        held = [];
        bytes = 0;
        passOn(out);
      }
    },
    take() {
      if (held.length === 0) return undefined;
      const out = held;
      held = [];
      bytes = 0;
      return out;
    },
  };
}

/** Caller side: write a worker's output to this thread's stdout / stderr, in order. */
export function writeOutput(out: Output): void {
  for (let i = 0; i + 1 < out.length; i += 2) {
    (out[i] === 2 ? process.stderr : process.stdout).write(out[i + 1] as string | Uint8Array);
  }
}
