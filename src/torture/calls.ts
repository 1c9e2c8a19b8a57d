/**
 * The torture's call table, imported by every agent. Each function that the drivers call notes its
 * run in the ledger and answers with a check value (see execute.ts); the rest is plumbing: fences,
 * starting a driver, handing out the ledger, dying on request.
 */
import { defineCalls, here } from '../index.js';
import { begin, end, hit, nest, slow } from './execute.js';
import { ranInOrder } from './order.js';
import { checksum, expected, type Payload } from './check.js';
import { ledger } from './current-ledger.js';
import { drive, type DriveConfig } from './driver.js';

const calls = defineCalls({
  hit,
  /** `hit` with a payload: the answer covers its checksum, so a payload damaged on the way shows. */
  hitData: (caller: number, seq: number, check: number, data: Payload): number => {
    const rec = begin(caller, seq);
    end(rec);
    return expected((check ^ checksum(data)) >>> 0, here().id);
  },
  nest,
  slow,
  /**
   * A blocking call to here returns only after every earlier call from that caller ran (per-caller
   * order). A driver's fence carries a seq of its caller, so a post that runs after it is caught as
   * out of order; the controller's fences carry none.
   */
  fence: (caller = -1, seq = -1): number => {
    const me = here().id;
    if (caller >= 0) ranInOrder(ledger(), caller, me, seq, -1);
    return me;
  },
  /** Fence every other agent from here (the end of a run: every post of this agent has landed). */
  fenceAll: (): number => {
    const h = here();
    for (let t = 0; t < h.size; t++) if (t !== h.id) h.callSync(t, 'fence');
    return h.id;
  },
  /** Run this agent's driver (posted by the main thread; reports through the ledger). */
  drive: (config: DriveConfig): Promise<number> => drive(config),
  getLedger: (): Int32Array => ledger().i32,
  /** Fault injection: end this thread at once, mid-call. */
  die: (code: number): void => {
    process.exit(code);
  },
});
export default calls;
export type TortureCalls = typeof calls;
