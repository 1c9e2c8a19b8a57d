/**
 * The sessions of one runtime's run, each a set of cases measured side by side in interleaved
 * rounds: the main comparison (floors, postMessage, every peer, every smpcall call kind), more agents
 * than cores, a parked target, and a worker as the caller.
 */
import { availableParallelism } from 'node:os';
import { asyncCase, pipelinedCase, syncCase, type Case, type Session } from './cases.js';
import { startFloor, type Floor } from './floors.js';
import { startPostMessage, type PostMessagePeer } from './peers/post-message.js';
import type { Peer } from './peers/peer.js';
import { firstLine } from './rounds.js';
import { mainThreadCases, roundRobinCases, startBenchDomain, workerCallerCase, type BenchDomain } from './smpcall-cases.js';

export interface SessionDef {
  name: string;
  title: string;
  start(): Promise<Session>;
}

/** How long an optional peer may take to start (workerpool never starts on Bun, for one). */
const START_MS = 15_000;

const cores = (): number => availableParallelism?.() ?? 2;

/** Collects cases, skipped peers and things to close while a session is being set up. */
class Builder {
  cases: Case[] = [];
  skipped: { label: string; why: string }[] = [];
  threads = 0;
  agents = 1;
  private closers: (() => Promise<void>)[] = [];
  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }
  /** Start an optional contender; a failure (or no start within START_MS) is reported as skipped, not thrown. */
  async optional<T>(label: string, startIt: () => Promise<T>): Promise<T | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not start within ${START_MS / 1000} s`)), START_MS);
    });
    try {
      return await Promise.race([startIt(), late]);
    } catch (e) {
      this.skipped.push({ label, why: firstLine(e) });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
  floor(id: string, label: string, f: Floor): void {
    this.threads++;
    this.onClose(() => f.close());
    this.cases.push({ id, label, system: 'floor', kind: 'floor', batch: (n) => f.batch(n), one: () => f.batch(1) });
  }
  /** An smpcall domain with this many workers, closed with the session. */
  async domain(workers: number): Promise<BenchDomain> {
    const d = await startBenchDomain(workers);
    this.agents = d.size;
    this.threads += d.workers;
    this.onClose(() => d.close());
    return d;
  }
  done(): Session {
    const closers = this.closers;
    return {
      cases: this.cases,
      skipped: this.skipped,
      agents: this.agents,
      threads: this.threads,
      close: async () => {
        for (const c of closers.reverse()) await c().catch(() => {});
      },
    };
  }
}

/** A peer's round trip and pipelined throughput. */
function peerCases(b: Builder, system: string, p: Peer): void {
  b.threads += p.threads;
  b.onClose(() => p.close());
  b.cases.push(
    asyncCase({ id: `${system}.rtt`, label: `${system} round trip`, system, kind: 'async', floor: 'floor.spin', ref: 'postMessage.rtt' }, (i) => p.add(i, 1)),
    pipelinedCase({ id: `${system}.pipelined`, label: `${system}, pipelined`, system, floor: 'floor.spin', ref: 'postMessage.pipelined' }, (i) => p.add(i, 1)),
  );
}

const SYNC = { floor: 'floor.spin', ref: 'postMessage.rtt' };
const ASYNC = SYNC;
const PIPE = { floor: 'floor.spin', ref: 'postMessage.pipelined' };
const BCAST = { floor: 'floor.spin', ref: 'postMessage.broadcast' };

async function addPostMessage(b: Builder, workers: number): Promise<PostMessagePeer> {
  const pm = await startPostMessage(workers);
  b.threads += workers;
  b.onClose(() => pm.close());
  return pm;
}

export const mainSession: SessionDef = {
  name: 'main',
  title: 'Main thread → one polling worker: floors, postMessage, every peer, every smpcall call kind',
  async start() {
    const b = new Builder();
    b.floor('floor.spin', 'raw Atomics spin round trip (the floor)', await startFloor(false));
    b.floor('floor.park', 'raw Atomics.wait/notify round trip', await startFloor(true));
    const pm = await addPostMessage(b, 2);
    b.cases.push(
      asyncCase({ id: 'postMessage.rtt', label: 'postMessage round trip', system: 'postMessage', kind: 'async', floor: 'floor.spin' }, (i) => pm.to(0, i)),
      pipelinedCase({ id: 'postMessage.pipelined', label: 'postMessage, pipelined', system: 'postMessage', floor: 'floor.spin' }, (i) => pm.to(0, i)),
      asyncCase({ id: 'postMessage.broadcast', label: 'postMessage to 2 workers, both awaited', system: 'postMessage', kind: 'broadcast', floor: 'floor.spin' }, () =>
        pm.broadcast(),
      ),
    );
    // Imported only when used: the published CLI runs without the peers installed.
    const peers: [string, () => Promise<Peer>][] = [
      ['comlink', async () => (await import('./peers/comlink.js')).startComlink()],
      ['piscina', async () => (await import('./peers/piscina.js')).startPiscina()],
      ['tinypool', async () => (await import('./peers/tinypool.js')).startTinypool()],
      ['workerpool', async () => (await import('./peers/workerpool.js')).startWorkerpool()],
    ];
    for (const [system, startPeer] of peers) {
      const p = await b.optional(system, startPeer);
      if (p) peerCases(b, system, p);
    }
    const sk = await b.optional('synckit', async () => (await import('./peers/synckit.js')).startSynckit());
    if (sk) {
      b.threads += sk.threads;
      b.cases.push(syncCase({ id: 'synckit.sync', label: 'synckit (sync) round trip', system: 'synckit', kind: 'sync', ...SYNC }, (i) => sk.addSync(i, 1)));
    }
    const d = await b.domain(2);
    b.cases.push(...mainThreadCases(d, SYNC, ASYNC, PIPE, BCAST));
    return b.done();
  },
};

export const oversubscribedSession: SessionDef = {
  name: 'oversubscribed',
  title: `More agents than cores: round robin over 4 workers (5 agents on ${cores()} cores)`,
  async start() {
    const b = new Builder();
    b.floor('floor.spin', 'raw Atomics spin round trip (the floor, 2 threads)', await startFloor(false));
    const pm = await addPostMessage(b, 4);
    b.cases.push(asyncCase({ id: 'postMessage.rtt', label: 'postMessage, round robin over 4 workers', system: 'postMessage', kind: 'async', floor: 'floor.spin' }, (i) => pm.to(i % 4, i)));
    const d = await b.domain(4);
    b.cases.push(...roundRobinCases(d, SYNC, ASYNC));
    return b.done();
  },
};

/** Longer than smpcall's default spin (50 µs) and the floor's (200 µs): the target has parked. */
const GAP_US = 400;

export const parkedSession: SessionDef = {
  name: 'parked',
  title: `A parked target: each call comes ${GAP_US} µs after the last, so the worker has gone to sleep`,
  async start() {
    const b = new Builder();
    const park = await startFloor(true);
    b.floor('floor.park', 'raw Atomics.wait/notify round trip (the floor here)', park);
    b.cases[0]!.gapUs = GAP_US;
    const pm = await addPostMessage(b, 1);
    const d = await b.domain(1);
    const base = { floor: 'floor.park', ref: 'postMessage.rtt' };
    b.cases.push(
      { ...asyncCase({ id: 'postMessage.rtt', label: 'postMessage round trip', system: 'postMessage', kind: 'async', floor: 'floor.park' }, (i) => pm.to(0, i)), gapUs: GAP_US },
      { ...syncCase({ id: 'smpcall.callSync', label: 'smpcall callSync to a parked worker', system: 'smpcall', kind: 'sync', ...base }, (i) => d.callSync(1, 'add', i, 1)), gapUs: GAP_US },
      { ...asyncCase({ id: 'smpcall.call', label: 'smpcall call to a parked worker', system: 'smpcall', kind: 'async', ...base }, (i) => d.call(1, 'add', i, 1)), gapUs: GAP_US },
    );
    return b.done();
  },
};

export const workerCallerSession: SessionDef = {
  name: 'worker-caller',
  title: 'Who calls: the main thread vs a worker (worker 1 → worker 2, worker 1 → main thread)',
  async start() {
    const b = new Builder();
    b.floor('floor.spin', 'raw Atomics spin round trip (the floor)', await startFloor(false));
    const d = await b.domain(2);
    const base = { floor: 'floor.spin' };
    b.cases.push(
      syncCase({ id: 'smpcall.callSync', label: 'smpcall callSync, main → worker 1', system: 'smpcall', kind: 'sync', ...base }, (i) => d.callSync(1, 'add', i, 1)),
      workerCallerCase(d, 2, base),
      workerCallerCase(d, 0, base),
    );
    return b.done();
  },
};

/** Worker counts of the broadcast sessions: up to four times the cores of the machine this was written on. */
export const BROADCAST_WORKERS = [1, 2, 4, 8] as const;

/**
 * Broadcast with `w` workers, each count a session of its own: idle agents of another domain alive in
 * the same session would poll on the same cores (each domain's core gate knows only its own agents).
 */
export const broadcastSession = (w: number): SessionDef => ({
  name: `broadcast-${w}`,
  title: `Broadcast to ${w} worker(s) on ${cores()} cores: onEach vs postMessage to each worker, all awaited`,
  async start() {
    const b = new Builder();
    b.floor('floor.spin', 'raw Atomics spin round trip (the floor, 2 threads)', await startFloor(false));
    const pm = await addPostMessage(b, w);
    const d = await b.domain(w);
    b.cases.push(
      asyncCase({ id: 'postMessage.each', label: `postMessage to each of ${w} worker(s), all awaited`, system: 'postMessage', kind: 'broadcast', floor: 'floor.spin' }, () => pm.broadcast()),
      asyncCase({ id: 'smpcall.onEach', label: `smpcall onEach, ${w} worker(s)`, system: 'smpcall', kind: 'broadcast', floor: 'floor.spin', ref: 'postMessage.each' }, () => d.onEach('noop')),
    );
    return b.done();
  },
});
