// The hardware floor as a contender for measureInterleaved (measure.js): two workers ping-pong one
// shared word (floor-worker.js), and the calling worker times each batch itself.
//
//   const floor = startFloor();
//   await measureInterleaved({ contenders: { smpcall: ..., floor }, ... });
import { asker } from './asker.js';

export function startFloor() {
  const buffer = new SharedArrayBuffer(128);
  const worker = () => new Worker(new URL('./floor-worker.js', import.meta.url), { type: 'module' });
  worker().postMessage({ buffer, role: 'echo' });
  const caller = worker();
  caller.postMessage({ buffer, role: 'caller' });
  const ask = asker(caller);
  return { timedElsewhere: (n) => ask({ n }) };
}
