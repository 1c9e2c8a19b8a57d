/**
 * Reused argument arrays. `call`, `callSync` and `post` take their arguments as four named parameters
 * plus a rest for more: a rest parameter alone would allocate an array at every call (measured: ~64 B,
 * a young GC every ~30,000 calls). The named ones land in a reused array per count, so an inline call
 * allocates nothing on the caller's side.
 */
const MAX_SCRATCH = 4;

export class ScratchArgs {
  private readonly arrays: unknown[][] = [[], [undefined], [undefined, undefined], [undefined, undefined, undefined], [undefined, undefined, undefined, undefined]];
  private readonly busy = new Uint8Array(MAX_SCRATCH + 1);

  /**
   * The arguments as an array: for up to four, the scratch array for that count (a fresh one when it
   * is in use: a nested call made while an outer one still reads its arguments, from a codec or a
   * function run locally). `give` hands it back.
   */
  take(argc: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown, more: unknown[]): unknown[] {
    if (argc > MAX_SCRATCH) return [a0, a1, a2, a3, ...more];
    if (argc < 0) argc = 0; // called with no name: the checks refuse it
    let args = this.arrays[argc]!;
    if (this.busy[argc] === 1) args = new Array(argc);
    else this.busy[argc] = 1;
    if (argc > 0) args[0] = a0;
    if (argc > 1) args[1] = a1;
    if (argc > 2) args[2] = a2;
    if (argc > 3) args[3] = a3;
    return args;
  }

  /** Done with `args`: a scratch array is emptied (it must not keep the values alive) and freed. */
  give(args: unknown[]): void {
    const argc = args.length;
    if (argc > MAX_SCRATCH || args !== this.arrays[argc]) return;
    for (let k = 0; k < argc; k++) args[k] = undefined;
    this.busy[argc] = 0;
  }
}
