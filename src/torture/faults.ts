/**
 * The fault injector: now and then, kill a random worker (by `terminate`, or by a call that exits
 * its thread mid-call). Before the kill it marks the agent (KILLING) and bumps its epoch; when the
 * restart policy's replacement serves, the controller bumps it again and clears the mark. A call
 * whose involved agents' epochs moved (or are being moved) may fail with "agent gone"; any other
 * call must succeed.
 */
import type { Domain } from '../index.js';
import type { TortureCalls } from './calls.js';
import { A_EPOCH, A_KILLING, type Ledger } from './ledger.js';

export interface Injector {
  kills: number;
  byTerminate: number;
  byExit: number;
  stop(): void;
}

export function startFaults(domain: Domain<TortureCalls>, L: Ledger, meanMs: number, endAt: number, random: () => number): Injector {
  const inj: Injector = { kills: 0, byTerminate: 0, byExit: 0, stop: () => clearTimeout(timer) };
  let timer: ReturnType<typeof setTimeout>;
  const next = (): void => {
    // Exponential gaps around the mean, as independent faults would come.
    const gap = Math.max(1, Math.round(-Math.log(1 - random()) * meanMs));
    timer = setTimeout(fire, gap);
  };
  const fire = (): void => {
    if (Date.now() >= endAt) return;
    const candidates: number[] = [];
    for (let a = 1; a < L.agents; a++) if (L.load(L.agentWord(a, A_KILLING)) === 0) candidates.push(a);
    if (candidates.length > 0) {
      const victim = candidates[Math.floor(random() * candidates.length)]!;
      L.store(L.agentWord(victim, A_KILLING), 1);
      L.add(L.agentWord(victim, A_EPOCH), 1);
      inj.kills++;
      if (random() < 0.5) {
        inj.byTerminate++;
        void domain.terminate(victim).catch(() => {});
      } else {
        inj.byExit++;
        domain.call(victim, 'die', 9).then(
          () => {},
          () => {},
        );
      }
    }
    next();
  };
  next();
  return inj;
}

/** The replacement of a killed agent serves: its epoch moves again and the mark is cleared. */
export function restarted(L: Ledger, agent: number): void {
  L.add(L.agentWord(agent, A_EPOCH), 1);
  L.store(L.agentWord(agent, A_KILLING), 0);
}
