import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start, type Domain } from 'smpcall';
import type calls from './fixtures/fault-calls.js';
import { rng } from '#internal/random.js';

const url = new URL('./fixtures/fault-calls.js', import.meta.url);


const GONE = new Set(['ERR_SMPCALL_AGENT_GONE']);

/** A failure is acceptable only if it says an agent went away (directly, or as the cause of a nested call's error). */
function acceptable(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return GONE.has(err.code ?? '') || (err.code === 'ERR_SMPCALL_REMOTE' && GONE.has(err.cause?.code ?? ''));
}

async function runSeed(seed: number, calls_: number): Promise<{ ok: number; gone: number; kills: number }> {
  const random = rng(seed);
  const workers = 3;
  const d: Domain<typeof calls> = await start<typeof calls>({ workers, calls: url, restart: true, slotsPerAgent: 16, spin: 20 });
  let ok = 0;
  let gone = 0;
  let kills = 0;
  const check = (x: number, v: unknown): void => {
    assert.equal(v, x * 3 + 1, `seed ${seed}: wrong result for ${x}`);
    ok++;
  };
  const fail = (e: unknown): void => {
    assert.ok(acceptable(e), `seed ${seed}: unexpected error ${(e as Error)?.stack ?? String(e)}`);
    gone++;
  };
  try {
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < calls_; i++) {
      const target = 1 + Math.floor(random() * workers);
      const r = random();
      if (r < 0.004) {
        // Kill a worker now and then, mid-load: by terminate, or by a call that exits the thread.
        kills++;
        if (random() < 0.5) void d.terminate(target);
        else inFlight.push(d.call(target, 'die', 7).then(() => assert.fail('die returned'), fail));
      } else if (r < 0.45) {
        inFlight.push(d.call(target, 'work', i).then((v) => check(i, v), fail));
      } else if (r < 0.6) {
        inFlight.push(d.call(target, 'slowWork', i, 1).then((v) => check(i, v), fail));
      } else if (r < 0.75) {
        const other = 1 + ((target - 1 + 1 + Math.floor(random() * (workers - 1))) % workers);
        inFlight.push(d.call(target, 'relay', other, i).then((v) => check(i, v), fail));
      } else if (r < 0.85) {
        inFlight.push(d.callMany([1, 2, 3], 'work', i).then((vs) => vs.forEach((v) => check(i, v)), fail));
      } else if (r < 0.93) {
        try {
          check(i, d.callSync(target, 'work', i));
        } catch (e) {
          fail(e);
        }
      } else {
        try {
          d.post(target, 'count');
          ok++;
        } catch (e) {
          fail(e);
        }
      }
      // Let the event loop breathe (timers, exits) every so often, as a real program would.
      if (i % 64 === 63) {
        await Promise.all(inFlight.splice(0));
      }
    }
    await Promise.all(inFlight);
    // Quiesce: wait until every killed agent has been replaced, then let every agent serve once more
    // (which also reclaims what dead predecessors left in flight).
    for (let waited = 0; d.stats().some((s) => s.state === 'dead'); waited += 20) {
      assert.ok(waited < 10000, `seed ${seed}: an agent was not restarted`);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let round = 0; round < 3; round++) {
      await d.onEach('work', 0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const stats = d.stats();
    for (const s of stats) {
      assert.equal(s.freeSlots, 16, `seed ${seed}: agent ${s.agent} (${s.state}) leaked ${16 - s.freeSlots} slot(s)`);
    }
    return { ok, gone, kills };
  } finally {
    await d.close();
  }
}

test('killing random workers during a mixed load never hangs a caller, never gives a wrong result, and leaks no slot', async (t) => {
  let total = 0;
  let totalGone = 0;
  let totalKills = 0;
  // SMPCALL_FAULT_SEEDS=100 runs a longer campaign.
  const seeds = Number(process.env.SMPCALL_FAULT_SEEDS ?? 6);
  for (let seed = 1; seed <= seeds; seed++) {
    const { ok, gone, kills } = await runSeed(seed, 2500);
    total += ok + gone;
    totalGone += gone;
    totalKills += kills;
  }
  t.diagnostic(`${seeds} seeds: ${total} calls, ${totalKills} kills, ${totalGone} calls told their agent went away, the rest correct`);
  assert.ok(total >= 15000, `ran ${total} calls`);
  assert.ok(totalKills > 0, 'some workers were killed');
  assert.ok(totalGone > 0, 'some calls saw an agent go away');
});
