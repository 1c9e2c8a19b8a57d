/**
 * Check values: every call carries a random 32-bit check; the agent that runs it answers
 * `expected(check, itself)`, so a result that belongs to another call, or comes from another agent,
 * or lost a bit on the way, does not match. Payloads are checksummed the same way on both sides.
 */

/** The answer agent `agent` must give to a call carrying `check` (a 32-bit mix of both). */
export function expected(check: number, agent: number): number {
  let h = (check ^ Math.imul(agent + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Payload = string | number[] | Float64Array | Uint8Array | { text: string; list: number[] };

/** A checksum of a payload (order-sensitive). */
export function checksum(data: Payload): number {
  let h = 0x811c9dc5;
  const mix = (x: number): void => {
    h = Math.imul(h ^ (x | 0), 0x01000193);
    h = Math.imul(h ^ ((x / 4294967296) | 0), 0x01000193);
  };
  if (typeof data === 'string') for (let i = 0; i < data.length; i++) mix(data.charCodeAt(i));
  else if (Array.isArray(data) || data instanceof Float64Array || data instanceof Uint8Array) {
    mix(data.length);
    for (let i = 0; i < data.length; i++) mix(data[i]!);
  } else {
    mix(checksum(data.text));
    mix(checksum(data.list));
  }
  return h >>> 0;
}


/** A random payload: short or long strings (non-ASCII too), arrays, typed arrays small and large. */
export function randomPayload(random: () => number): Payload {
  const r = random();
  const len = (max: number): number => Math.floor(random() * random() * max);
  if (r < 0.3) {
    let s = '';
    const n = len(600);
    for (let i = 0; i < n; i++) s += String.fromCharCode(random() < 0.9 ? 32 + Math.floor(random() * 90) : 0x3b1 + Math.floor(random() * 40));
    return s;
  }
  if (r < 0.5) return Array.from({ length: len(80) }, () => Math.floor(random() * 2 ** 31) - 2 ** 30);
  if (r < 0.7) return Float64Array.from({ length: len(3000) }, () => Math.floor(random() * 1e9) / 7);
  if (r < 0.9) return Uint8Array.from({ length: len(8000) }, () => Math.floor(random() * 256));
  return { text: 'x'.repeat(len(100)), list: Array.from({ length: len(20) }, (_, i) => i * 3) };
}
