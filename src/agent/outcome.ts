/**
 * The caller's side of a result: decode what a finished call left in its place (a lane, the caller's
 * slot, or the spill slot a lane call lent) into two registers, the value and whether it failed. The
 * protocol calls this before it gives the place back; the caller then returns or throws the register.
 * Decoding never throws out of here: a result that does not decode is that call's error.
 */
import { STATUS_GONE, STATUS_OK, STATUS_THREW } from '../layout.js';
import { expressAgent, isExpress } from '../protocol/context.js';
import { SmpcallError, codes } from '../errors.js';
import { decodeRemoteError } from '../codec/remote-error.js';
import type { LaneCodec } from '../codec/express.js';
import type { Payloads } from '../codec/payloads.js';

export class Outcome {
  /** The result, or the error when `failed`. */
  value: unknown = undefined;
  failed = false;
  private readonly box: unknown[] = [undefined];

  constructor(
    private readonly payloads: Payloads,
    private readonly lanes: LaneCodec,
    /** Told when a call failed because its target died (the domain may be restarting it). */
    private readonly gone: (agent: number) => void,
  ) {}

  /** Decode the outcome of `name` on `target`, found in `place` (`slot`: the caller's slot) with `status`. */
  read(place: number, slot: number, status: number, target: number, name: string): void {
    this.failed = false;
    // The common case first: a lane call's value in the target's line (nothing to decode, nothing to fail).
    if (status === STATUS_OK && isExpress(place) && !this.lanes.spilled(expressAgent(place))) {
      this.value = this.lanes.readResult(expressAgent(place));
      return;
    }
    try {
      this.value = this.decode(place, slot, status, target, name);
    } catch (e) {
      this.failed = true;
      this.value = e;
    }
  }

  private decode(place: number, slot: number, status: number, target: number, name: string): unknown {
    if (status & STATUS_GONE) {
      // Big arguments the target never took are still ours to free.
      this.payloads.discard(slot);
      this.gone(target);
      throw new SmpcallError(codes.AGENT_GONE, `agent ${target} exited before "${name}" finished`);
    }
    const box = this.box;
    let value: unknown;
    try {
      this.payloads.read(slot, 1, box);
      value = box[0];
    } catch (e) {
      throw new SmpcallError(codes.UNCLONEABLE, `the result of "${name}" from agent ${target} could not be decoded here: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    } finally {
      box[0] = undefined;
    }
    if (status & STATUS_THREW) throw decodeRemoteError(value, name, target);
    return value;
  }

  /** Return the value, or throw the error, and clear the registers (they must not keep values alive). */
  take(): unknown {
    const v = this.value;
    this.value = undefined;
    if (this.failed) {
      this.failed = false;
      throw v;
    }
    return v;
  }
}
