/**
 * The per-agent driver: until the run ends, pick an operation kind by weight and do it, every call
 * with a fresh id and check value, verifying each answer; every `flushEvery` operations, wait for the
 * async calls in flight, fence every agent posted to, and check that those posts ran.
 *
 * It runs on every agent (posted to the workers, called directly on the main thread) and uses only
 * the public handle `here()` gives. Every API call that sends is bracketed by sendBegins/sendEnds
 * (order.ts): calls made while it is in progress (served during its waits) are not ordered after it.
 */
import { here } from '../index.js';
import type { AgentHandle, Settled } from '../index.js';
import { ledger } from './current-ledger.js';
import { A_CUR_KIND, A_CUR_SINCE, A_DRIVING, A_OPS, F_ANY, P_FENCE, R_FIN, ST_ABANDONED, type Ledger } from './ledger.js';
import { checkPosted, issue, mark, takeSeq, ST_GONE, ST_OK, ST_POSTED, ST_REFUSED, ST_REPORTED, type Issued } from './records.js';
import { sendBegins, sendEnds } from './order.js';
import { checksum, expected, randomPayload, type Payload } from './check.js';
import { rng } from '../random.js';
import {
  KINDS,
  K_ALL,
  K_ALL_WAIT,
  K_MANY,
  K_MANY_WAIT,
  K_NESTED,
  K_NESTED_SYNC,
  K_SINGLE,
  K_SINGLE_WAIT,
  K_STORM,
  K_TIMEOUT,
  M_GAVE_UP,
  M_SLOW,
  M_UNEXPECTED,
  M_WRONG_RESULT,
  type Kind,
} from './kinds.js';
import { gaveUp, isGone, isRefused } from './gone.js';
import { noteError } from './errors-seen.js';
import { packHops } from './execute.js';

/** What every driver is told (plain data: it travels in a `post`). */
export interface DriveConfig {
  seed: number;
  /** Date.now() at which to stop. */
  endAt: number;
  /** Date.now() when the run began (for the "current operation since" words). */
  t0: number;
  /** Weight per kind, in KINDS order. */
  weights: number[];
  payloadRatio: number;
  syncRatio: number;
  window: number;
  flushEvery: number;
  stallMs: number;
}

// Untyped by the table: calls.ts imports this module to start drivers, so importing its type here
// would close an import cycle.
type Handle = AgentHandle;

class Driver {
  private readonly h: Handle = here();
  private readonly me = this.h.id;
  private readonly n = this.h.size;
  private readonly L: Ledger = ledger();
  private readonly random: () => number;
  private readonly cumulative: number[] = [];
  private readonly inFlight: Promise<void>[] = [];
  /** Posts not yet checked: record and seq, in pairs. */
  private unverified: number[] = [];
  private postedTo = 0;

  constructor(private readonly cfg: DriveConfig) {
    this.random = rng(cfg.seed ^ Math.imul(this.me + 1, 0x9e3779b1) ^ this.L.epoch(this.me));
    let sum = 0;
    for (const w of cfg.weights) this.cumulative.push((sum += w));
  }

  // ------------------------------------------------------------ choices

  private pickKind(): Kind {
    const x = this.random() * this.cumulative[this.cumulative.length - 1]!;
    for (let k = 0; k < this.cumulative.length; k++) if (x < this.cumulative[k]!) return k;
    return this.cumulative.length - 1;
  }
  /** Any agent, this one included (a call to self runs inline, like the kernel's). */
  private anyAgent(): number {
    return Math.floor(this.random() * this.n);
  }
  private otherAgent(): number {
    const t = Math.floor(this.random() * (this.n - 1));
    return t >= this.me ? t + 1 : t;
  }
  private subset(): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.n; a++) if (this.random() < 0.5) out.push(a);
    if (out.length === 0) out.push(this.otherAgent());
    return out;
  }
  private readonly all = (): number[] => Array.from({ length: this.n }, (_, a) => a);
  private blocking(): boolean {
    return this.random() < this.cfg.syncRatio;
  }

  /** The call's function name and arguments, with or without a payload; and the check its answer is built from. */
  private args(c: Issued): { name: 'hit' | 'hitData'; args: [number, number, number] | [number, number, number, Payload]; check: number } {
    if (this.random() < this.cfg.payloadRatio) {
      const data = randomPayload(this.random);
      return { name: 'hitData', args: [this.me, c.seq, c.check, data], check: (c.check ^ checksum(data)) >>> 0 };
    }
    return { name: 'hit', args: [this.me, c.seq, c.check], check: c.check };
  }

  // ------------------------------------------------------------ outcomes

  private failed(c: Issued, e: unknown): void {
    if (isGone(e)) return mark(this.L, c.rec, ST_GONE);
    if (isRefused(e)) return mark(this.L, c.rec, ST_REFUSED);
    mark(this.L, c.rec, ST_REPORTED);
    this.L.count(c.kind, M_UNEXPECTED);
    noteError(this.L, c.kind, `agent ${this.me}: id ${c.seq} failed unexpectedly: ${(e as Error)?.stack ?? String(e)}`);
  }

  private wrong(c: Issued, got: unknown, want: string): void {
    mark(this.L, c.rec, ST_REPORTED);
    this.L.count(c.kind, M_WRONG_RESULT);
    noteError(this.L, c.kind, `wrong result: agent ${this.me}, id ${c.seq}: got ${String(got)}, want ${want}`);
  }

  private answered(c: Issued, check: number, target: number, got: unknown): void {
    const want = expected(check, target);
    if (got === want) mark(this.L, c.rec, ST_OK);
    else this.wrong(c, got, `${want} (from agent ${target})`);
  }

  /** Answers of a many/all call, in target order (settled or plain). */
  private answeredMany(c: Issued, check: number, targets: readonly number[], got: readonly unknown[], settled: boolean): void {
    let gone = false;
    let refused = false;
    if (got.length !== targets.length) return this.wrong(c, `${got.length} answers`, `${targets.length}`);
    for (let k = 0; k < targets.length; k++) {
      let v = got[k];
      if (settled) {
        const s = v as Settled<unknown>;
        if (s.status === 'rejected') {
          if (isGone(s.reason)) {
            gone = true;
            continue;
          }
          if (isRefused(s.reason)) {
            refused = true;
            continue;
          }
          return this.failed(c, s.reason);
        }
        v = s.value;
      }
      const want = expected(check, targets[k]!);
      if (v !== want) return this.wrong(c, v, `${want} from agent ${targets[k]}`);
    }
    mark(this.L, c.rec, gone ? ST_GONE : refused ? ST_REFUSED : ST_OK);
  }

  private timed(c: Issued, began: number): void {
    if (performance.now() - began > this.cfg.stallMs) {
      this.L.count(c.kind, M_SLOW);
      noteError(this.L, c.kind, `slow: agent ${this.me}, id ${c.seq} took ${Math.round(performance.now() - began)} ms (stall limit ${this.cfg.stallMs} ms)`);
    }
  }

  private async later(p: Promise<void>): Promise<void> {
    this.inFlight.push(p);
    if (this.inFlight.length >= this.cfg.window) await Promise.all(this.inFlight.splice(0));
  }

  private posted(c: Issued, targets: number): void {
    mark(this.L, c.rec, ST_POSTED);
    this.unverified.push(c.rec, c.seq);
    this.postedTo |= targets;
  }

  // ------------------------------------------------------------ operations

  private single(kind: Kind, t: number): void {
    const c = issue(this.L, this.me, kind, 1 << t, 1 << t);
    const { name, args } = this.args(c);
    sendBegins(c.rec, c.seq);
    try {
      (this.h.post as (t: number, n: string, ...a: unknown[]) => void)(t, name, ...args);
      this.posted(c, 1 << t);
    } catch (e) {
      this.failed(c, e);
    } finally {
      sendEnds();
    }
  }

  private async singleWait(): Promise<void> {
    const h = this.h;
    const any = this.random() < 0.1;
    const t = any ? -1 : this.anyAgent();
    const everyone = (1 << this.n) - 1;
    const c = issue(this.L, this.me, K_SINGLE_WAIT, any ? everyone : 1 << t, any ? everyone : 1 << t, any ? F_ANY : 0);
    const { name, args, check } = this.args(c);
    const checkAny = (got: unknown): void => {
      for (let a = 0; a < this.n; a++) if (got === expected(check >>> 0, a)) return mark(this.L, c.rec, ST_OK);
      this.wrong(c, got, 'the answer of some agent');
    };
    const began = performance.now();
    const call = h.call.bind(h) as (t: number, n: string, ...a: unknown[]) => Promise<unknown>;
    const callSync = h.callSync.bind(h) as (t: number, n: string, ...a: unknown[]) => unknown;
    if (this.blocking()) {
      let got: unknown;
      sendBegins(c.rec, c.seq);
      try {
        got = any ? (h.callAnySync as (n: string, ...a: unknown[]) => unknown)(name, ...args) : callSync(t, name, ...args);
      } catch (e) {
        this.failed(c, e);
        this.timed(c, began);
        return;
      } finally {
        sendEnds();
      }
      if (any) checkAny(got);
      else this.answered(c, check >>> 0, t, got);
      this.timed(c, began);
      return;
    }
    let p: Promise<unknown>;
    sendBegins(c.rec, c.seq);
    try {
      p = any ? (h.callAny as (n: string, ...a: unknown[]) => Promise<unknown>)(name, ...args) : call(t, name, ...args);
    } finally {
      sendEnds();
    }
    await this.later(
      p.then(
        (got) => (any ? checkAny(got) : this.answered(c, check >>> 0, t, got)),
        (e) => this.failed(c, e),
      ).then(() => this.timed(c, began)),
    );
  }

  private many(kind: Kind, targets: number[]): void {
    let mask = 0;
    for (const t of targets) mask |= 1 << t;
    const c = issue(this.L, this.me, kind, mask, mask);
    const { name, args } = this.args(c);
    sendBegins(c.rec, c.seq);
    try {
      (this.h.postMany as (t: number[], n: string, ...a: unknown[]) => void)(targets, name, ...args);
      this.posted(c, mask);
    } catch (e) {
      this.failed(c, e);
    } finally {
      sendEnds();
    }
  }

  private async manyWait(kind: Kind, targets: number[] | 'all'): Promise<void> {
    const h = this.h;
    const list = targets === 'all' ? this.all() : targets;
    let mask = 0;
    for (const t of list) mask |= 1 << t;
    const c = issue(this.L, this.me, kind, mask, mask);
    const { name, args, check } = this.args(c);
    const began = performance.now();
    type Many = (t: unknown, n: string, ...a: unknown[]) => unknown;
    type OnEach = (n: string, ...a: unknown[]) => unknown;
    const onEachResult = (got: unknown[]): void => {
      // onEach skips agents that are dead right now: their places (by agent id) hold undefined.
      if (!got.includes(undefined)) return this.answeredMany(c, check, list, got, false);
      for (let a = 0; a < got.length; a++) if (got[a] !== undefined && got[a] !== expected(check, a)) return this.wrong(c, got[a], `the answer of agent ${a}`);
      mark(this.L, c.rec, ST_GONE);
    };
    if (this.blocking()) {
      let got: unknown[];
      sendBegins(c.rec, c.seq);
      try {
        got = (targets === 'all' ? (h.onEachSync as OnEach)(name, ...args) : (h.callManySync as Many)(list, name, ...args)) as unknown[];
      } catch (e) {
        this.failed(c, e);
        this.timed(c, began);
        return;
      } finally {
        sendEnds();
      }
      try {
        if (targets === 'all') onEachResult(got);
        else this.answeredMany(c, check, list, got, false);
      } catch (e) {
        this.failed(c, e);
      }
      this.timed(c, began);
      return;
    }
    let sent: Promise<unknown[]>;
    sendBegins(c.rec, c.seq);
    try {
      sent = (targets === 'all' ? (h.onEach as OnEach)(name, ...args) : (h.callMany as Many)({ targets: list, settle: true }, name, ...args)) as Promise<unknown[]>;
    } finally {
      sendEnds();
    }
    const p = targets === 'all' ? sent.then(onEachResult) : sent.then((got) => this.answeredMany(c, check, list, got, true));
    await this.later(p.then(undefined, (e) => this.failed(c, e)).then(() => this.timed(c, began)));
  }

  /** A chain A → B → C → D (1 to 3 hops, any agents, self and repeats included). Hops block in nested-sync, await in nested. */
  private async nested(kind: Kind): Promise<void> {
    const hops: number[] = [];
    const depth = 1 + Math.floor(this.random() * 3);
    for (let k = 0; k < depth; k++) hops.push(this.anyAgent());
    let involved = 0;
    for (const a of hops) involved |= 1 << a;
    const t = hops[0]!;
    const c = issue(this.L, this.me, kind, 1 << t, involved);
    const args = [this.me, c.seq, c.check, packHops(hops.slice(1), kind === K_NESTED)];
    const callSync = this.h.callSync.bind(this.h) as (t: number, n: string, ...a: unknown[]) => unknown;
    const call = this.h.call.bind(this.h) as (t: number, n: string, ...a: unknown[]) => Promise<unknown>;
    const began = performance.now();
    // A chain whose hops await is never waited for by a blocking call: the hops' continuations may need
    // the event loop of an agent that would be blocked in that very call (sync over async deadlocks).
    if (kind === K_NESTED_SYNC && this.blocking()) {
      let got: unknown;
      sendBegins(c.rec, c.seq);
      try {
        got = callSync(t, 'nest', ...args);
      } catch (e) {
        this.failed(c, e);
        this.timed(c, began);
        return;
      } finally {
        sendEnds();
      }
      this.answered(c, c.check, t, got);
      this.timed(c, began);
      return;
    }
    let sent: Promise<unknown>;
    sendBegins(c.rec, c.seq);
    try {
      sent = call(t, 'nest', ...args);
    } finally {
      sendEnds();
    }
    await this.later(
      sent.then(
        (got) => this.answered(c, c.check, t, got),
        (e) => this.failed(c, e),
      ).then(() => this.timed(c, began)),
    );
  }

  /** A burst of posts at one or two targets: with small slot pools the caller runs out of slots and must wait (serving). */
  private storm(): void {
    const a = this.otherAgent();
    const b = this.random() < 0.3 ? this.otherAgent() : a;
    const count = 8 + Math.floor(this.random() * 57);
    for (let k = 0; k < count; k++) this.single(K_STORM, k & 1 ? b : a);
  }

  /** A call that may outlast the caller's patience (timeout, or an abort now or soon): its late answer must be dropped. */
  private async timeout(): Promise<void> {
    const t = this.otherAgent();
    const c = issue(this.L, this.me, K_TIMEOUT, 1 << t, 1 << t);
    const how = (Math.floor(this.random() * 5) << 1) | (this.random() < 0.5 ? 1 : 0);
    const r = this.random();
    let options: { timeoutMs?: number; signal?: AbortSignal };
    if (r < 0.6) options = { timeoutMs: Math.floor(this.random() * 5) };
    else {
      const ac = new AbortController();
      options = { signal: ac.signal };
      if (r < 0.8) queueMicrotask(() => ac.abort());
      else setTimeout(() => ac.abort(), Math.floor(this.random() * 4));
    }
    let sent: Promise<number>;
    sendBegins(c.rec, c.seq);
    try {
      sent = this.h.callWith(options, t, 'slow', this.me, c.seq, c.check, how) as Promise<number>;
    } finally {
      sendEnds();
    }
    await this.later(
      sent.then(
        (got) => this.answered(c, c.check, t, got),
        (e) => {
          if (!gaveUp(e)) return this.failed(c, e);
          this.L.count(K_TIMEOUT, M_GAVE_UP);
          mark(this.L, c.rec, ST_ABANDONED, this.L.load(c.rec + R_FIN));
        },
      ),
    );
  }

  // ------------------------------------------------------------ flush

  /** Wait for what is in flight, fence every agent posted to, and check those posts ran. */
  private async flush(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
    let unfenced = false;
    for (let t = 0; t < this.n; t++) {
      if (t === this.me || !(this.postedTo & (1 << t))) continue;
      // The fence takes a seq of this agent: a post to t that runs after it ran out of order.
      const seq = takeSeq(this.L, this.me);
      this.L.store(this.L.pairWord(P_FENCE, this.me, t), seq + 1);
      try {
        this.h.callSync(t, 'fence', this.me, seq);
      } catch (e) {
        if (isRefused(e)) unfenced = true;
        else if (!isGone(e)) {
          this.L.count(K_SINGLE, M_UNEXPECTED);
          noteError(this.L, K_SINGLE, `fence ${this.me} → ${t} failed: ${(e as Error)?.message ?? String(e)}`);
        }
      }
    }
    // A fence refused for want of a slot (ERR_SMPCALL_NO_SLOT: the slot wait is bounded) never ran, so
    // the posts before it may rightly not have run yet: checked now, they would be marked overtaken
    // and reported out of order when they run. Keep them all for the next flush's fences.
    if (unfenced) return;
    const list = this.unverified;
    this.unverified = [];
    this.postedTo = 0;
    for (let k = 0; k < list.length; k += 2) checkPosted(this.L, list[k]!, list[k + 1]!);
  }

  // ------------------------------------------------------------ the loop

  async run(): Promise<number> {
    const { L, me, cfg } = this;
    const cur = L.agentWord(me, A_CUR_KIND);
    const since = L.agentWord(me, A_CUR_SINCE);
    const opsWord = L.agentWord(me, A_OPS);
    let ops = 0;
    while (!L.stopped && Date.now() < cfg.endAt) {
      const kind = this.pickKind();
      L.store(cur, kind + 1);
      L.store(since, Date.now() - cfg.t0);
      switch (kind) {
        case K_SINGLE: this.single(K_SINGLE, this.anyAgent()); break;
        case K_SINGLE_WAIT: await this.singleWait(); break;
        case K_MANY: this.many(K_MANY, this.subset()); break;
        case K_MANY_WAIT: await this.manyWait(K_MANY_WAIT, this.subset()); break;
        case K_ALL: this.many(K_ALL, this.all()); break;
        case K_ALL_WAIT: await this.manyWait(K_ALL_WAIT, 'all'); break;
        case K_NESTED: await this.nested(K_NESTED); break;
        case K_NESTED_SYNC: await this.nested(K_NESTED_SYNC); break;
        case K_STORM: this.storm(); break;
        case K_TIMEOUT: await this.timeout(); break;
        default: throw new Error(`torture: no such kind ${kind} (${KINDS.length} kinds)`);
      }
      L.add(opsWord, 1);
      if (++ops % cfg.flushEvery === 0) {
        L.store(since, Date.now() - cfg.t0);
        await this.flush();
      }
      // Let this thread's event loop run (timers, settled calls) now and then.
      if ((ops & 15) === 0) await new Promise((r) => setImmediate(r));
    }
    L.store(since, Date.now() - cfg.t0);
    await this.flush();
    L.store(cur, 0);
    return ops;
  }
}

/** Run this agent's driver until the run ends; never throws (a failure is counted and noted). */
export async function drive(cfg: DriveConfig): Promise<number> {
  const L = ledger();
  const me = here().id;
  L.store(L.agentWord(me, A_DRIVING), 1);
  try {
    return await new Driver(cfg).run();
  } catch (e) {
    L.count(K_SINGLE, M_UNEXPECTED);
    noteError(L, K_SINGLE, `the driver on agent ${me} failed: ${(e as Error)?.stack ?? String(e)}`);
    return 0;
  } finally {
    L.store(L.agentWord(me, A_DRIVING), 0);
  }
}
