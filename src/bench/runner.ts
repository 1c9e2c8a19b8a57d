/**
 * The case runner: one child process per runtime (node, deno, bun) runs the sessions given on its
 * command line and prints each result as a JSON line (messages.ts). `--allocation N` runs only the
 * warm-up and allocation figures (under node --expose-gc, in a fresh process).
 */
import { availableParallelism } from 'node:os';
import { measureAllocation } from './allocation.js';
import { measureWarmup } from './warmup.js';
import { loadHistograms } from './histogram.js';
import { emit, type SessionResult } from './messages.js';
import { payloadSession } from './payloads.js';
import { prettierSession } from './prettier-sync.js';
import { firstLine, measureRounds } from './rounds.js';
import { BROADCAST_WORKERS, broadcastSession, mainSession, oversubscribedSession, parkedSession, workerCallerSession, type SessionDef } from './scenarios.js';
import { parseSettings } from './settings.js';

function runtimeVersion(): { runtime: string; version: string } {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  if (g.Deno) return { runtime: 'Deno', version: g.Deno.version.deno };
  if (g.Bun) return { runtime: 'Bun', version: g.Bun.version };
  return { runtime: 'Node', version: process.versions.node };
}

async function main(argv: string[]): Promise<void> {
  const { runtime, version } = runtimeVersion();
  emit({ t: 'meta', runtime, version, cores: availableParallelism?.() ?? 2, platform: `${process.platform} ${process.arch}` });
  const allocation = argv.indexOf('--allocation');
  if (allocation >= 0) {
    // First, while the process is fresh: the warm-up figures start the first domains.
    emit({ t: 'warmup', result: await measureWarmup(1000) });
    emit({ t: 'allocation', result: await measureAllocation(Number(argv[allocation + 1])) });
    emit({ t: 'done' });
    return;
  }
  const s = parseSettings(argv);
  await loadHistograms();
  const defs: Record<string, SessionDef> = {
    main: mainSession,
    ...Object.fromEntries(BROADCAST_WORKERS.map((w) => [`broadcast-${w}`, broadcastSession(w)])),
    oversubscribed: oversubscribedSession,
    parked: parkedSession,
    'worker-caller': workerCallerSession,
    payload: payloadSession(s.sizes),
    'prettier-sync': prettierSession,
  };
  const chosen = s.sessions.map((n) => defs[n]!);
  for (let k = 0; k < chosen.length; k++) {
    const def = chosen[k]!;
    const progress = (f: number, what: string): void => emit({ t: 'progress', f: (k + f) / chosen.length, label: `${def.name}: ${what}` });
    progress(0, 'starting');
    const t0 = performance.now();
    try {
      const session = await def.start();
      try {
        // Payload cases are slow and many: fewer rounds.
        const rounds = def.name === 'payload' ? Math.max(3, Math.ceil(s.rounds / 2)) : s.rounds;
        const cases = await measureRounds(session.cases, {
          rounds,
          targetMs: s.targetMs,
          warmMs: def.name === 'payload' ? 2 * s.targetMs : s.warmMs,
          latencyOps: s.latencyOps,
          onStep: (done, total) => progress(done / total, `${done}/${total}`),
        });
        const result: SessionResult = {
          name: def.name,
          title: def.title,
          agents: session.agents,
          threads: session.threads,
          refLabel: session.refLabel ?? 'postMessage',
          cases,
          skipped: session.skipped,
          seconds: (performance.now() - t0) / 1000,
        };
        emit({ t: 'session', session: result });
      } finally {
        await session.close();
      }
    } catch (e) {
      emit({ t: 'session-failed', name: def.name, error: firstLine(e) });
    }
  }
  emit({ t: 'done' });
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  console.error(e);
  process.exitCode = 1;
}
// Peer threads (synckit's) may hold the process open: everything has been printed.
process.exit();
