/**
 * What a case runner (one child process per runtime) tells the driver: one JSON object per stdout
 * line, after a marker so that anything else a library prints is ignored.
 */
export const MARK = '@@smpcall-bench ';

/** What a measured case is, so the report can pair it with its baselines. */
export type Kind = 'floor' | 'sync' | 'async' | 'pipelined' | 'post' | 'broadcast' | 'payload';

/** What a case is and what it is compared with: the same in the case and in its result. */
export interface CaseInfo {
  id: string;
  label: string;
  /** 'floor', 'postMessage', 'smpcall', 'comlink', ... */
  system: string;
  kind: Kind;
  /** Id of the floor this case is compared with, in the same session. */
  floor?: string;
  /** Id of the case this one is compared with in the same session: postMessage of the same kind, or synckit. */
  ref?: string;
  payload?: { type: string; bytes: number };
}

export interface CaseResult extends CaseInfo {
  /** Median over rounds of microseconds per operation. */
  us: number;
  /** Per-round microseconds per operation (ratios are medians of per-round ratios). */
  rounds: number[];
  /** Latency percentiles in microseconds (absent for throughput-only cases). */
  p50?: number;
  p99?: number;
  p999?: number;
  max?: number;
  samples?: number;
  failed?: string;
}

export interface SessionResult {
  name: string;
  title: string;
  /** smpcall agents (main thread included) and all threads this session started. */
  agents: number;
  threads: number;
  /** What `ref` means in this session ('postMessage', 'synckit'). */
  refLabel: string;
  cases: CaseResult[];
  skipped: { label: string; why: string }[];
  /** Wall time of the session, set-up included. */
  seconds: number;
}

export interface AllocationResult {
  calls: number;
  /** heapUsed after the calls minus before, no forced GC in between (bytes). */
  heapGrowth: number;
  /** The same after a forced full GC: what stayed (bytes). */
  retained: number;
  minorGCs: number;
  majorGCs: number;
  /** Capacity of V8's young generation at the end (bytes): young GCs × this ≈ bytes allocated. */
  youngBytes: number;
  /**
   * Bytes allocated inside smpcall's own code during the calls, collected or not, by V8's sampling heap
   * profiler (every 64 bytes on average); the measuring loop's own allocations are left out.
   */
  callPathBytes: number;
  ms: number;
}

/** The first calls after start() against the same calls warm (microseconds per call, means). */
export interface WarmupResult {
  calls: number;
  firstCallUs: number;
  steadyCallUs: number;
  firstSyncUs: number;
  steadySyncUs: number;
}

export type Line =
  | { t: 'meta'; runtime: string; version: string; cores: number; platform: string }
  | { t: 'progress'; f: number; label: string }
  | { t: 'session'; session: SessionResult }
  | { t: 'session-failed'; name: string; error: string }
  | { t: 'allocation'; result: AllocationResult }
  | { t: 'warmup'; result: WarmupResult }
  | { t: 'done' };

/** One write per line: the driver splits on newlines. */
export const emit = (line: Line): void => {
  process.stdout.write(MARK + JSON.stringify(line) + '\n');
};

export function parseLine(text: string): Line | undefined {
  if (!text.startsWith(MARK)) return undefined;
  try {
    return JSON.parse(text.slice(MARK.length)) as Line;
  } catch {
    return undefined;
  }
}
