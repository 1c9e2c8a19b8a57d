/**
 * A worker's messages from its parent, held from the worker's first line until the agent listens: a
 * message that came while nobody listened would be lost (found by a hostile run: a buffer shared while
 * a replacement started, posted right behind its init, reached no listener, and share() never settled).
 */
export class HeldMessages<M> {
  private listener: ((m: M) => void) | undefined;
  private readonly held: M[] = [];

  /** A message came: to the listener, or held for it. */
  deliver(m: M): void {
    if (this.listener !== undefined) this.listener(m);
    else this.held.push(m);
  }

  /** The agent listens from now on: it gets what was held first, in order. */
  listen(fn: (m: M) => void): void {
    this.listener = fn;
    for (const m of this.held.splice(0)) fn(m);
  }
}
