/**
 * The executor's side of every torture call: note in the call's record that this agent ran it, and
 * catch on the spot what only the executor can see (an id never issued, a second run on this agent,
 * a run on an agent the call was not sent to, a run after a later call from the same caller: see
 * order.ts). Then answer with the check value of (check, this agent).
 */
import { here } from '../index.js';
import { isGone, isRefused } from './gone.js';
import { F_ANY, R_EXPECT, R_FIN, R_MASK_RAN, R_RAN, R_STATUS, R_TAG } from './ledger.js';
import { ledger } from './current-ledger.js';
import { expected } from './check.js';
import { K_NESTED, K_NESTED_SYNC, M_DUP, M_GHOST, M_UNEXPECTED, M_WRONG_AGENT, M_WRONG_RESULT } from './kinds.js';
import { noteError } from './errors-seen.js';
import { ranInOrder, sendBegins, sendEnds } from './order.js';
import type { Ledger } from './ledger.js';
import { issue, mark, ST_GONE, ST_OK, ST_REFUSED, ST_REPORTED } from './records.js';

/** Note the run; returns the record, or -1 for a ghost (an id that is not live: nothing is touched). */
export function begin(caller: number, seq: number): number {
  return beginOn(ledger(), here().id, caller, seq);
}

/** `begin` on agent `me` with ledger `L` (what the executor checks, without the thread it runs on). */
export function beginOn(L: Ledger, me: number, caller: number, seq: number): number {
  if (!Number.isInteger(caller) || caller < 0 || caller >= L.agents || !Number.isInteger(seq) || seq < 0) {
    L.count(0, M_GHOST);
    noteError(L, 0, `agent ${me} ran a call with a malformed id (${String(caller)}, ${String(seq)})`);
    return -1;
  }
  const rec = L.record(caller, seq);
  const kind = (L.load(rec + R_STATUS) >> 8) & 0xf;
  if (L.load(rec + R_TAG) !== seq + 1) {
    L.count(kind, M_GHOST);
    noteError(L, kind, `ghost: agent ${me} ran id ${seq} of agent ${caller}, which is not live (never issued, or already retired)`);
    return -1;
  }
  const bit = 1 << me;
  L.add(rec + R_RAN, 1);
  const before = Atomics.or(L.i32, rec + R_MASK_RAN, bit);
  const any = (L.load(rec + R_STATUS) & F_ANY) !== 0;
  if (before & bit || (any && before !== 0)) {
    L.count(kind, M_DUP);
    noteError(L, kind, `duplicate: id ${seq} of agent ${caller} ran again (on agent ${me})`);
  }
  if (!(L.load(rec + R_EXPECT) & bit)) {
    L.count(kind, M_WRONG_AGENT);
    noteError(L, kind, `wrong agent: id ${seq} of agent ${caller} ran on agent ${me}, which it was not sent to`);
  }
  ranInOrder(L, caller, me, seq, rec);
  return rec;
}

export function end(rec: number): void {
  if (rec >= 0) ledger().add(rec + R_FIN, 1);
}

export function hit(caller: number, seq: number, check: number): number {
  const rec = begin(caller, seq);
  end(rec);
  return expected(check, here().id);
}

/** Hops of a nested chain packed in one number (so the call still fits the express lane): count, 5 bits per agent, and whether hops await. */
const HOPS_ASYNC = 1 << 20;
export function packHops(hops: number[], async: boolean): number {
  let x = hops.length | (async ? HOPS_ASYNC : 0);
  hops.forEach((a, k) => (x |= a << (2 + 5 * k)));
  return x;
}
export function unpackHops(x: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < (x & 3); k++) out.push((x >>> (2 + 5 * k)) & 31);
  return out;
}

/**
 * One link of a nested chain: note the run, then call the next hop with an id of this agent's own
 * (blocking, from inside the served call; or awaiting, so this agent's stack is not held) and check
 * its answer before answering.
 */
export function nest(caller: number, seq: number, check: number, hops: number): number | Promise<number> {
  const rec = begin(caller, seq);
  const h = here();
  const me = h.id;
  const rest = unpackHops(hops);
  if (rest.length === 0) {
    end(rec);
    return expected(check, me);
  }
  const L = ledger();
  const kind = hops & HOPS_ASYNC ? K_NESTED : K_NESTED_SYNC;
  const next = rest[0]!;
  let involved = 0;
  for (const a of rest) involved |= 1 << a;
  const inner = issue(L, me, kind, 1 << next, involved);
  const args = [me, inner.seq, inner.check, packHops(rest.slice(1), (hops & HOPS_ASYNC) !== 0)];
  const failed = (e: unknown): never => {
    end(rec);
    if (isGone(e)) {
      mark(L, inner.rec, ST_GONE);
      // Say plainly that an agent went away, so the caller up the chain can tell.
      throw Object.assign(new Error(`nested call to agent ${next} failed: an agent went away`), { code: 'ERR_SMPCALL_AGENT_GONE' });
    }
    if (isRefused(e)) {
      mark(L, inner.rec, ST_REFUSED);
      throw Object.assign(new Error(`nested call to agent ${next} was refused: no slot could come free`), { code: 'ERR_SMPCALL_TOO_DEEP' });
    }
    mark(L, inner.rec, ST_REPORTED);
    L.count(kind, M_UNEXPECTED);
    noteError(L, kind, `nested call ${me} → ${next} failed: ${(e as Error)?.message ?? String(e)}`);
    throw Object.assign(new Error(`nested call to agent ${next} failed unexpectedly`), { code: 'TORTURE_NESTED_FAILED' });
  };
  const answered = (answer: unknown): number => {
    end(rec);
    if (answer !== expected(inner.check, next)) {
      mark(L, inner.rec, ST_REPORTED);
      L.count(kind, M_WRONG_RESULT);
      noteError(L, kind, `wrong result: nested call ${me} → ${next} answered ${String(answer)}`);
      throw Object.assign(new Error('nested call got a wrong result'), { code: 'TORTURE_NESTED_FAILED' });
    }
    mark(L, inner.rec, ST_OK);
    return expected(check, me);
  };
  if (hops & HOPS_ASYNC) {
    let sent: Promise<unknown>;
    sendBegins(inner.rec, inner.seq);
    try {
      sent = (h.call as (t: number, n: string, ...a: unknown[]) => Promise<unknown>).call(h, next, 'nest', ...args);
    } finally {
      sendEnds();
    }
    return sent.then(answered, failed);
  }
  let answer: unknown;
  sendBegins(inner.rec, inner.seq);
  try {
    answer = (h.callSync as (t: number, n: string, ...a: unknown[]) => unknown).call(h, next, 'nest', ...args);
  } catch (e) {
    return failed(e);
  } finally {
    sendEnds();
  }
  return answered(answer);
}

/** A call that takes a while (`how` = ms << 1 | async): the caller may give up on it first. */
export function slow(caller: number, seq: number, check: number, how: number): number | Promise<number> {
  const rec = begin(caller, seq);
  const me = here().id;
  const ms = how >> 1;
  if (how & 1) {
    return new Promise((resolve) =>
      setTimeout(() => {
        end(rec);
        resolve(expected(check, me));
      }, ms),
    );
  }
  const until = performance.now() + ms;
  while (performance.now() < until);
  end(rec);
  return expected(check, me);
}
