/**
 * What a caller checks before anything is sent: the name, the target, the argument count, the
 * nesting depth, and whether the domain or the target is still there. A refused call sends nothing
 * and throws a coded error at the caller.
 */
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import type { Ctx } from '../protocol/context.js';
import { isClosing } from '../protocol/close.js';
import { isDead } from '../protocol/observe.js';
import type { CallEntry, CompiledTable } from '../table.js';
import type { ManyOptions } from './types.js';

/** Served calls nested deeper than this on one agent may not call out again (each level costs stack). */
const MAX_DEPTH = 256;
/** The argument count travels in 8 bits of the call's metadata. */
const MAX_SENT_ARGS = 255;

const NO_NAME = Symbol('no name yet');

/** A value given where a number or boolean belongs, said so that "1" (a string) does not read as the agent 1. */
function describeValue(t: unknown): string {
  if (typeof t === 'number') return String(t);
  if (typeof t === 'string') return `${JSON.stringify(t)} (a string)`;
  if (typeof t === 'bigint') return `${t}n (a bigint)`;
  return t === null ? 'null' : typeof t === 'object' || typeof t === 'function' ? `a ${typeof t}` : String(t);
}

export class CallerChecks {
  /** This agent stopped accepting calls (close() began here). */
  closing = false;
  /** The name last checked and its entry (a symbol no name equals until a first call). */
  private lastName: unknown = NO_NAME;
  private lastEntry: CallEntry | undefined = undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly table: CompiledTable,
    /** The served side: how many served calls are on this agent's stack right now. */
    private readonly server: { readonly depth: number },
  ) {}

  /** Check one call; returns its table entry. */
  check(target: number, name: string, args: ArrayLike<unknown>): CallEntry {
    const { id, L } = this.ctx;
    if (args.length > MAX_SENT_ARGS && target !== id) {
      throw new SmpcallTypeError(codes.ARITY, `"${String(name)}" got ${args.length} arguments; a call to another agent carries at most ${MAX_SENT_ARGS} (pass an array)`);
    }
    const depth = this.server.depth;
    if (depth >= MAX_DEPTH) {
      throw new SmpcallError(codes.TOO_DEEP, `calls nested ${depth} deep on agent ${id}: "${String(name)}" was not sent (runaway recursion between agents?)`);
    }
    // Set together with lastName, so defined whenever the name matches it.
    let entry = this.lastEntry!;
    if (name !== this.lastName) {
      // A call repeats the name of the one before more often than not: one comparison of interned
      // strings then, instead of a Map lookup.
      const found = typeof name === 'string' ? this.table.byName.get(name) : undefined;
      if (found === undefined) {
        throw new SmpcallTypeError(codes.UNKNOWN_CALL, `unknown call "${String(name)}": the call table has ${this.knownNames()}`);
      }
      entry = found;
      this.lastName = name;
      this.lastEntry = found;
    }
    if (!Number.isInteger(target) || target < 0 || target >= L.agents) {
      throw new SmpcallTypeError(codes.BAD_TARGET, `target ${describeValue(target)} is not an agent of this domain (0..${L.agents - 1})`);
    }
    if (args.length < entry.minArgs || args.length > entry.maxArgs) {
      const want =
        entry.maxArgs === Infinity ? `at least ${entry.minArgs}` : entry.minArgs === entry.maxArgs ? `${entry.minArgs}` : `${entry.minArgs} to ${entry.maxArgs}`;
      throw new SmpcallTypeError(codes.ARITY, `"${name}" takes ${want} argument(s), got ${args.length}`);
    }
    if (this.closing || isClosing(this.ctx)) throw new SmpcallError(codes.CLOSED, `the domain is closed: "${name}" was not sent`);
    if (target !== id) this.checkAlive(target, entry);
    return entry;
  }

  /** Check a call to many agents (`remote`: some are other agents); their liveness is checked apart. */
  checkMany(name: string, args: ArrayLike<unknown>, remote: boolean): CallEntry {
    if (remote && args.length > MAX_SENT_ARGS) {
      throw new SmpcallTypeError(codes.ARITY, `"${String(name)}" got ${args.length} arguments; a call to another agent carries at most ${MAX_SENT_ARGS} (pass an array)`);
    }
    return this.check(this.ctx.id, name, args);
  }

  /** A call to a DEAD agent fails at once (one that dies later is handled by the protocol). */
  checkAlive(target: number, entry: CallEntry): void {
    if (isDead(this.ctx, target)) throw new SmpcallError(codes.AGENT_GONE, `agent ${target} has exited: "${entry.name}" was not sent`);
  }

  /** Validate a target list (all of it, before anything is sent). */
  targets(targets: unknown): { list: readonly number[]; settle: boolean } {
    const { L } = this.ctx;
    let list: unknown = targets;
    let settle = false;
    if (targets !== null && typeof targets === 'object' && !Array.isArray(targets)) {
      list = (targets as ManyOptions).targets;
      const s: unknown = (targets as ManyOptions).settle;
      if (s !== undefined && typeof s !== 'boolean') throw new SmpcallTypeError(codes.USAGE, `settle must be true or false, got ${describeValue(s)}`);
      settle = s === true;
    }
    if (!Array.isArray(list)) throw new SmpcallTypeError(codes.BAD_TARGET, 'targets must be an array of agent ids (or { targets, settle: true })');
    for (const t of list) {
      if (!Number.isInteger(t) || t < 0 || t >= L.agents) {
        throw new SmpcallTypeError(codes.BAD_TARGET, `target ${describeValue(t)} is not an agent of this domain (0..${L.agents - 1})`);
      }
    }
    return { list: list as number[], settle };
  }

  private knownNames(): string {
    const names = [...this.table.byName.keys()];
    return names.length <= 12 ? names.map((n) => `"${n}"`).join(', ') : `${names.length} names`;
  }
}
