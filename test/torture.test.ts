import { test } from 'node:test';
import assert from 'node:assert/strict';
import { torture, type TortureResult } from 'smpcall/torture';
import { runBroken } from '#internal/torture/broken.js';

const quiet = (lines: string[]) => (l: string) => void lines.push(l);

function explain(r: TortureResult, lines: string[]): string {
  const first = r.firstError ? `first error after ${(r.firstError.atMs / 1000).toFixed(2)} s: ${r.firstError.what}\n` : '';
  return `seed ${r.seed}: ${r.errors} error(s)\n${first}${[...r.notes, ...lines].join('\n')}`;
}

/**
 * Everything but timing: no call lost, run out of order, run twice, misrouted, answered wrongly or failed unexpectedly,
 * no slot leaked, no hang, no unexplained exit. Stalls and slow calls (a wait past the stall limit)
 * are timings, which a test on a shared machine must not assert; the CLI run counts them as errors.
 */
function assertCorrect(r: TortureResult, lines: string[]): void {
  for (const m of ['lost', 'order', 'dup', 'ghost', 'wrong-agent', 'wrong-result', 'unexpected']) assert.equal(r.totals[m], 0, `${m}: ${explain(r, lines)}`);
  assert.deepEqual(r.leaks, [], explain(r, lines));
  assert.equal(r.hang, false, explain(r, lines));
  assert.equal(r.unexpectedExits, 0, explain(r, lines));
}

test('a short torture run with every kind of call mixed finds no lost, duplicated, misrouted or wrong call and no leak', async () => {
  const lines: string[] = [];
  const r = await torture({ durationMs: 8000, agents: 4, slotsPerAgent: 16, progress: 'none', log: quiet(lines) });
  assertCorrect(r, lines);
  for (const kind of ['single', 'single-wait', 'many', 'many-wait', 'all', 'all-wait', 'nested', 'storm', 'timeout'] as const) {
    assert.ok(r.perKind[kind].calls! > 0, `some "${kind}" calls ran`);
  }
  // The ledger accounts for every waited call: verified, or given up on.
  assert.ok(r.totals['gave-up']! > 0, 'some calls were given up on (timeouts and aborts)');
});

test('a short torture run that kills random workers reports every affected call as such and gets the rest right', async () => {
  const lines: string[] = [];
  const r = await torture({ durationMs: 8000, agents: 4, slotsPerAgent: 16, faults: true, faultEveryMs: 400, progress: 'none', log: quiet(lines) });
  assertCorrect(r, lines);
  assert.ok(r.kills > 0, 'workers were killed');
  assert.equal(r.restarts, r.kills, 'every killed worker was replaced');
  assert.ok(r.totals.affected! > 0, 'some calls were hit by a kill and said so');
  assert.ok(r.totals.ok! > 0, 'the calls no kill hit succeeded'); // how many depends on how fast a runtime restarts a worker
});

test('the torture catches a broken build whose park forgets to re-check for work (the lost wake-up)', async () => {
  const lines: string[] = [];
  const code = await runBroken('no-park-recheck', ['--duration', '20s', '--spin', 'park', '--stall-ms', '1000', '--agents', '4', '--progress', 'none'], quiet(lines));
  const verdict = lines.find((l) => l.startsWith('broken build')) ?? '(no verdict)';
  assert.equal(code, 0, verdict);
  assert.match(verdict, /CAUGHT/);
});
