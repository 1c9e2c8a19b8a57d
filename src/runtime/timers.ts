/**
 * Timers for any time a user may pass: `setTimeout` clamps a delay past 2^31 - 1 ms to 1 ms (a call
 * with `timeoutMs: 2 ** 31` would time out at once), so a longer delay is a chain of shorter ones,
 * and `Infinity` is no timer at all.
 */
const MAX_DELAY = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

const NEVER: LongTimer = { clear() {} };

/** Call `fn` once after `ms` milliseconds (never for Infinity). `unref`: do not hold the process open. */
export function after(ms: number, fn: () => void, unref = false): LongTimer {
  if (ms === Infinity) return NEVER;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let left = Math.max(0, ms);
  const arm = (): void => {
    const step = Math.min(left, MAX_DELAY);
    left -= step;
    timer = setTimeout(left > 0 ? arm : fn, step);
    if (unref) (timer as { unref?: () => void }).unref?.();
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
