/**
 * The calls module of every sync worker: one generic call, `run(...args)`, that runs the function the
 * user's worker file registered with `runAsWorker`, and `out(output)`, which the worker calls on the
 * caller to hand over a large amount of stdout/stderr during a call (stdio.ts). The worker's set-up is
 * in this module's URL (worker-setup.ts); the main thread imports the module without it, for the
 * table only.
 *
 * The user's file is imported as soon as the worker starts but not awaited at the top level (a top-level
 * await here would hold the worker's start, and an import cycle through 'smpcall/sync' would never
 * end): the first call waits for it, so an error thrown by the file reaches that call's caller. Global
 * shims are imported first; a CommonJS TypeScript file is loaded with `require`, where the TypeScript
 * runners hook in.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineCalls } from '../table.js';
import { here } from '../agent/current.js';
import { detectRuntime } from '../runtime/runtime.js';
import { SmpcallError, codes } from '../errors.js';
import { expectWorkerFn, workerFn } from './registry.js';
import { withOutput, wrapResult, wrapThrown, type Envelope } from './envelope.js';
import { captureStdio, writeOutput, type Capture, type Output } from './stdio.js';
import type { AnyFn } from './types.js';
import { hasWorkerSetup, workerSetupOf, type WorkerShim } from './worker-setup.js';

// The worker's boot says which URL it imported this module by: Bun's import.meta.url drops the query.
const g = globalThis as { [k: symbol]: unknown };
const booted = g[Symbol.for('smpcall.agent.callsUrl')];
const setup = workerSetupOf(typeof booted === 'string' && hasWorkerSetup(booted) ? booted : import.meta.url);
// Only the first copy of this module in a worker sets it up: the one the boot imports (with the query).
// The worker file's own import of 'smpcall/sync' evaluates another copy (the URL without the query),
// which must not set up the worker a second time.
const CLAIM = Symbol.for('smpcall.sync.workerSetUp');
const file = g[CLAIM] === undefined && setup !== undefined ? setup.worker : null;
if (file !== null) g[CLAIM] = true;
let fn: AnyFn | undefined;
let loading: Promise<void> | undefined;
let io: Capture | undefined;

async function applyShims(shims: WorkerShim[]): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  for (const { specifier, globalName, named, conditional } of shims) {
    const ns = (await import(specifier)) as Record<string, unknown>;
    if (globalName === undefined) continue;
    const value = named === null ? ns : named?.trim() ? (ns[named] ?? (ns.default as Record<string, unknown> | undefined)?.[named]) : ns.default;
    if (conditional === false || !g[globalName]) g[globalName] = value;
  }
}

async function load(url: string): Promise<void> {
  if (setup!.shims.length > 0) await applyShims(setup!.shims);
  if (setup!.require) createRequire(import.meta.url)(fileURLToPath(url));
  else await import(url);
  fn = workerFn();
  if (fn === undefined) {
    throw new SmpcallError(codes.USAGE, `the worker file ${url} did not call runAsWorker(fn) from 'smpcall/sync' when it loaded`);
  }
}

if (file !== null) {
  if (detectRuntime() === 'node') {
    io = captureStdio((out) => {
      try {
        here().callSync(0, 'out', out);
        return true;
      } catch {
        return false; // the caller is gone (or closing): the output goes the ordinary way
      }
    });
  }
  expectWorkerFn(file);
  io?.begin();
  loading = load(file);
  loading.then(
    () => io?.end(),
    () => io?.end(),
  ); // a failure is reported to the first caller
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/** The outcome with the output held meanwhile; the call has ended. */
function settle(r: Envelope): Envelope {
  if (io === undefined) return r;
  const out = io.take();
  io.end();
  return withOutput(r, out);
}

/** Run the registered function; its outcome, whatever it is, comes back as an envelope (never throws). */
function runNow(f: AnyFn, args: unknown[]): Envelope | Promise<Envelope> {
  let r: unknown;
  try {
    r = f(...args);
  } catch (e) {
    return settle(wrapThrown(e));
  }
  return isThenable(r) ? Promise.resolve(r).then((v) => settle(wrapResult(v)), (e: unknown) => settle(wrapThrown(e))) : settle(wrapResult(r));
}

export default defineCalls({
  run: (...args: unknown[]): Envelope | Promise<Envelope> => {
    io?.begin();
    if (fn !== undefined) return runNow(fn, args);
    if (loading === undefined) return settle(wrapThrown(new SmpcallError(codes.USAGE, 'this thread is not a sync worker')));
    return loading.then(
      () => runNow(fn!, args),
      (e: unknown) => settle(wrapThrown(e)),
    );
  },
  /** Answered as soon as the worker serves: the caller waits for its start before timing calls. */
  ready: (): true => true,
  /** On the caller: a worker's output, handed over during a call. */
  out: (output: Output): void => writeOutput(output),
});
