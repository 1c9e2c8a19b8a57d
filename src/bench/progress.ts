/**
 * A progress bar on stderr (cli-progress), so a long run shows it is alive; on a non-terminal it
 * prints a line every few seconds instead. Without cli-progress installed: plain lines.
 */
interface Bar {
  start(total: number, value: number, payload: object): void;
  update(value: number, payload: object): void;
  stop(): void;
}

export interface Progress {
  /** `value` out of the total given to `startProgress`. */
  update(value: number, label: string): void;
  stop(): void;
}

export async function startProgress(total: number): Promise<Progress> {
  try {
    const cp = (await import('cli-progress')) as unknown as { default: { SingleBar: new (o: object) => Bar } };
    const bar = new cp.default.SingleBar({
      stream: process.stderr,
      format: '  {bar} {percentage}% | {duration_formatted} elapsed, ~{eta_formatted} left | {label}',
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
      clearOnComplete: true,
    });
    bar.start(total, 0, { label: 'starting' });
    return { update: (v, label) => bar.update(Math.min(total, v), { label }), stop: () => bar.stop() };
  } catch {
    let last = 0;
    return {
      update(v, label) {
        if (Date.now() - last < 5000) return;
        last = Date.now();
        process.stderr.write(`  ${Math.round((100 * v) / total)}% ${label}\n`);
      },
      stop() {},
    };
  }
}
