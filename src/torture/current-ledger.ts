/**
 * This thread's view of the torture ledger. The main thread sets it; a worker finds it among the
 * shared buffers its agent knows (the ledger is registered with `domain.share()` before any driver
 * starts, and a worker restarted after a kill is given the registered buffers when it starts), so
 * no call is needed to get it, and none can arrive before it is there.
 */
import { here } from '../index.js';
import { sharedBuffers } from '../agent/current.js';
import { H_MAGIC, LEDGER_MAGIC, Ledger } from './ledger.js';

let current: Ledger | undefined;

export function setLedger(i32: Int32Array): Ledger {
  current = new Ledger(i32);
  return current;
}

export function ledger(): Ledger {
  if (current === undefined) {
    const shared = sharedBuffers();
    for (let id = 0; id < shared.size; id++) {
      const b = shared.byId(id);
      if (b !== undefined && b.byteLength >= 64 && Atomics.load(new Int32Array(b, 0, 16), H_MAGIC) === LEDGER_MAGIC) {
        current = new Ledger(new Int32Array(b));
        break;
      }
    }
    if (current === undefined) throw new Error(`torture: agent ${here().id} has no ledger (was it shared before the drivers started?)`);
  }
  return current;
}
