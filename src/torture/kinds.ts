/**
 * The operation kinds the torture mixes (after the kernel's scftorture: single / single-wait, many /
 * many-wait, all / all-wait; plus nested chains, post storms against small slot pools, and calls the
 * caller gives up on) and what it counts for each.
 */
export const KINDS = ['single', 'single-wait', 'many', 'many-wait', 'all', 'all-wait', 'nested', 'storm', 'timeout', 'nested-sync'] as const;
/** One operation kind of the torture mix: 'single', 'all-wait', 'storm', ... */
export type KindName = (typeof KINDS)[number];
export type Kind = number;
export const KIND_COUNT = KINDS.length;
export const kindIndex = (name: KindName): Kind => KINDS.indexOf(name);

export const K_SINGLE = 0;
export const K_SINGLE_WAIT = 1;
export const K_MANY = 2;
export const K_MANY_WAIT = 3;
export const K_ALL = 4;
export const K_ALL_WAIT = 5;
export const K_NESTED = 6;
export const K_STORM = 7;
export const K_TIMEOUT = 8;
/** Nested chains whose hops block (callSync inside a served call): see the README on why cycles of them can deadlock. */
export const K_NESTED_SYNC = 9;

/** What is counted per kind. The ones in ERROR_METRICS make the run fail. */
export const METRICS = [
  'calls', // calls made (a callMany is one call)
  'runs', // executions (a callMany to 3 agents is 3 runs)
  'ok', // verified correct
  'gave-up', // the caller gave up (timeout / abort)
  'late', // ... and the call still finished afterwards (its result was dropped)
  'affected', // hit by an injected fault and reported as such (or a post lost with its agent)
  'refused', // refused with ERR_SMPCALL_TOO_DEEP or ERR_SMPCALL_NO_SLOT (no slot could come free): a clear error by design
  'lost', // sent and never run (or the caller got a result without a run)
  'order', // ran after a later call from the same caller to the same target had already run (FIFO per caller → target broken)
  'dup', // run twice on one agent
  'ghost', // run for an id that was never issued or already retired
  'wrong-agent', // run on an agent it was not sent to
  'wrong-result', // the caller got a result that is not this call's
  'unexpected', // an error that no injected fault explains
  'slow', // a waited call that took longer than the stall limit
] as const;
export type Metric = number;
export const METRIC_COUNT = METRICS.length;
export const M_CALLS = 0;
export const M_RUNS = 1;
export const M_OK = 2;
export const M_GAVE_UP = 3;
export const M_LATE = 4;
export const M_AFFECTED = 5;
export const M_REFUSED = 6;
export const M_LOST = 7;
export const M_ORDER = 8;
export const M_DUP = 9;
export const M_GHOST = 10;
export const M_WRONG_AGENT = 11;
export const M_WRONG_RESULT = 12;
export const M_UNEXPECTED = 13;
export const M_SLOW = 14;
export const ERROR_METRICS: readonly Metric[] = [M_LOST, M_ORDER, M_DUP, M_GHOST, M_WRONG_AGENT, M_WRONG_RESULT, M_UNEXPECTED, M_SLOW];
