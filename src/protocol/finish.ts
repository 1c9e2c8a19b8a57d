/**
 * The end of a sync call at its target: its result is written into `place` with `status` (a lane's
 * status is in its tags, written with the result); mark it DONE and ring its caller if parked.
 */
import { DEAD, S_DONE, S_STATE, S_STATUS, X_DONE, X_OWNER, X_STATE, hot, slotOwner, slotWord } from '../layout.js';
import { isExpress, type Ctx } from './context.js';
import { releaseLaneOfDead } from './death.js';
import { ringIfParked, wakeIfParked } from './doorbell.js';

export function finish(a: Ctx, place: number, status: number): void {
  const { mem, L } = a;
  if (isExpress(place)) {
    // Read the owner before DONE: after DONE the caller may release the lane and another claim it.
    const owner = mem.read(hot(L, a.id, X_OWNER));
    a.expressBusy = false;
    mem.store(hot(L, a.id, X_STATE), X_DONE);
    if (wakeIfParked(a, owner) === DEAD) releaseLaneOfDead(a, owner);
  } else {
    mem.write(slotWord(L, place, S_STATUS), status);
    mem.store(slotWord(L, place, S_STATE), S_DONE);
    ringIfParked(a, slotOwner(L, place));
  }
}
