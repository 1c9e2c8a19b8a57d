import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { RUNTIME_DEFS, runRuntime } from '#internal/bench/runtimes.js';

const runner = fileURLToPath(import.meta.resolve('#internal/bench/runner.js'));

test('one short round of the main benchmark session measures every peer and every smpcall call kind without a failure', async () => {
  const args = ['--sessions', 'main,worker-caller', '--rounds', '1', '--target-ms', '1', '--latency-ops', '5', '--warm-ms', '1'];
  const run = await runRuntime(RUNTIME_DEFS.node20!, runner, args, { timeoutMs: 120_000 });
  assert.equal(run.failed, undefined);
  assert.deepEqual(run.failedSessions, []);
  const [main, worker] = run.sessions;
  assert.deepEqual(main!.skipped, []);
  const ids = main!.cases.map((c) => c.id);
  for (const id of ['floor.spin', 'floor.park', 'postMessage.rtt', 'comlink.rtt', 'piscina.pipelined', 'tinypool.rtt', 'workerpool.rtt', 'synckit.sync', 'smpcall.callSync', 'smpcall.call', 'smpcall.post', 'smpcall.pipelined', 'smpcall.onEach']) {
    assert.ok(ids.includes(id), `${id} measured`);
  }
  for (const c of [...main!.cases, ...worker!.cases]) {
    assert.equal(c.failed, undefined, `${c.id} did not fail`);
    assert.equal(c.rounds.length, 1, `${c.id} has its round`);
    assert.ok(c.us > 0, `${c.id} took some time`);
  }
});
