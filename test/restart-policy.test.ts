import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type calls from './fixtures/core-calls.js';
import type crashCalls from './fixtures/crash-loop-calls.js';
import { restartBackoffMs } from '#internal/domain/backoff.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);
const crashUrl = new URL('./fixtures/crash-loop-calls.js', import.meta.url);

/** A file whose text makes the crash-loop fixture fail as it loads, named to the workers started from now on. */
function crashFlag(): { path: string; dispose(): void } {
  const path = join(mkdtempSync(join(tmpdir(), 'smpcall-crash-')), 'crash');
  process.env.SMPCALL_TEST_CRASH_FLAG = path;
  return {
    path,
    dispose() {
      rmSync(path, { force: true });
      delete process.env.SMPCALL_TEST_CRASH_FLAG;
    },
  };
}

/** When each of the domain's next `n` exits was heard. */
function exitTimes(d: { on(event: 'exit', fn: () => void): void }, n: number): Promise<number[]> {
  const times: number[] = [];
  return new Promise((resolve) => d.on('exit', () => times.push(performance.now()) === n && resolve(times)));
}

/**
 * exits[k], k >= 1, is the k-th replacement in a row that failed, after which the next waited
 * restartBackoffMs(k): assert the gaps (lower bounds only, which a timer cannot undercut).
 */
function assertBackoffGaps(exits: number[]): void {
  for (let k = 1; k + 1 < exits.length; k++) {
    const gap = exits[k + 1]! - exits[k]!;
    assert.ok(gap >= restartBackoffMs(k) - 1, `replacement ${k + 1} exited ${gap.toFixed(1)} ms after replacement ${k}, within the backoff of ${restartBackoffMs(k)} ms`);
  }
}

test('with a restart policy a fresh worker takes over the dead agent id, up to the limit', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, restart: 2 });
  try {
    const restarted = (): Promise<void> => new Promise((r) => d.on('restart', () => r()));
    for (let round = 1; round <= 2; round++) {
      const back = restarted();
      await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
      await back;
      assert.equal(d.callSync(1, 'add', round, 1), round + 1, `works again after restart ${round}`);
      assert.equal(d.callSync(1, 'whoami'), 1);
    }
    const exited = new Promise<{ restarting: boolean }>((r) => d.on('exit', r));
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    assert.equal((await exited).restarting, false, 'the third death is final');
    assert.throws(() => d.callSync(1, 'add', 1, 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
  } finally {
    await d.close();
  }
});

// Found by reading the restart path after a hostile run: with `restart: true`, a replacement that
// exits before it serves (its module throws or exits as it loads) was replaced at once, for ever: 15
// workers a second here, each a thread and a module load. Such replacements now wait a backoff that
// doubles (restartBackoffMs), and one that serves ends it. The test asserts only lower bounds, which
// a timer cannot undercut.
test('a worker that crashes as it loads is restarted after a doubling backoff, comes back once it loads, and close() does not wait the backoff out', async () => {
  const flag = crashFlag();
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl, restart: true });
  try {
    const sixExits = exitTimes(d, 7);
    d.on('exit', (e) => assert.equal(e.restarting, true));
    writeFileSync(flag.path, '');
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    // exits[0]: the worker that served (replaced at once, or after the first backoff if it had served
    // for less than a second); then the replacements that died loading.
    assertBackoffGaps(await sixExits);
    assert.throws(() => d.callSync(1, 'add', 1, 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    // The module loads again: the next try serves, and a crash after serving restarts.
    rmSync(flag.path);
    await new Promise<void>((r) => d.on('restart', () => r()));
    assert.equal(d.callSync(1, 'add', 40, 2), 42);
    const back = new Promise<void>((r) => d.on('restart', () => r()));
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    await back;
    assert.equal(d.callSync(1, 'add', 1, 2), 3);
    // A crash loop again, and close() in the middle of a long backoff.
    writeFileSync(flag.path, '');
    const looping = exitTimes(d, 6);
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    await looping;
  } finally {
    await d.close();
    flag.dispose();
  }
});

test('the restart backoff doubles from 10 ms to at most 2 s, and there is none before the first early exit', () => {
  assert.deepEqual([0, 1, 2, 3, 8, 9, 20].map(restartBackoffMs), [0, 10, 20, 40, 1280, 2000, 2000]);
});

// The hostile run's findings on the restart path (each failed on the code before):
// - a replacement whose module threw as it loaded ended the restart policy for good;
// - close() from an 'exit' listener still started the replacement that exit announced;
// - share() while a replacement started never reached it (calls with a view then failed there).
test('a replacement whose calls module throws as it loads is retried with the backoff until one serves', async () => {
  const flag = crashFlag();
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl, restart: true });
  const errors = console.error;
  const said: unknown[][] = [];
  console.error = (...parts: unknown[]) => void said.push(parts);
  try {
    const threeFailed = exitTimes(d, 4);
    writeFileSync(flag.path, 'throw');
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    await threeFailed;
    rmSync(flag.path);
    await new Promise<void>((r) => d.on('restart', () => r()));
    assert.equal(d.callSync(1, 'add', 40, 2), 42);
    assert.equal(said.length, 1, 'the failures are said once, not once per try');
    assert.match(String(said[0]![0]), /agent 1 could not be restarted; trying again/);
  } finally {
    console.error = errors;
    await d.close();
    flag.dispose();
  }
});

test("close() from an 'exit' listener stops the restart that exit announced", async () => {
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl, restart: true });
  let restarted = false;
  d.on('restart', () => (restarted = true));
  let closed!: Promise<void>;
  const exited = new Promise<void>((r) =>
    d.on('exit', (e) => {
      assert.equal(e.restarting, true);
      closed = d.close();
      r();
    }),
  );
  await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
  await exited;
  await closed;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(restarted, false, 'no replacement started after close()');
});

test('a buffer shared while a replacement starts is known to it', async () => {
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl, restart: true });
  try {
    const restarted = new Promise<void>((r) => d.on('restart', () => r()));
    await d.terminate(1); // its exit has started the replacement
    const view = new Int32Array(new SharedArrayBuffer(8));
    view[0] = 42;
    await d.share(view.buffer);
    await restarted;
    assert.equal(await d.call(1, 'read', view), 42);
    assert.equal(d.callSync(1, 'read', view), 42);
  } finally {
    await d.close();
  }
});

// A second hostile run, in browsers (the same paths on every runtime):
// - a replacement that says it serves and ends at once (a Web Worker that closes itself as it loads)
//   counted as served: no backoff, a 'restart' for each;
// - a replacement whose module never finishes loading left the agent dead and silent until close(),
//   and close() waited its grace period for it;
// - a second share() of a buffer whose first was still waiting returned at once.
test('a replacement that ends soon after it began to serve is a crash loop too: restarted after the backoff', async () => {
  const flag = crashFlag();
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl, restart: true });
  // A program that waits for a worker to die by itself must be kept alive by something (README, Limits).
  const alive = setInterval(() => {}, 1000);
  try {
    const seven = exitTimes(d, 7);
    writeFileSync(flag.path, 'soon');
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    // The first exit came within a second of the domain's start, so it counts as early too.
    assertBackoffGaps(await seven);
  } finally {
    clearInterval(alive);
    await d.close();
    flag.dispose();
  }
});

test('a replacement that never finishes loading is ended after startTimeoutMs and retried, and close() ends one still loading at once', async () => {
  const flag = crashFlag();
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl, restart: true, startTimeoutMs: 2000 });
  let restarted = false;
  d.on('restart', () => (restarted = true));
  try {
    const three = exitTimes(d, 3);
    writeFileSync(flag.path, 'hang');
    await assert.rejects(d.call(1, 'exit', 1), { code: 'ERR_SMPCALL_AGENT_GONE' });
    // The worker that served, then two replacements ended for not serving within 2 s (the bound is
    // start()'s too, and a Deno worker takes half a second to start).
    await three;
  } finally {
    // A replacement is loading now or soon (after its backoff): close() does not wait for it. Half
    // the grace period (5 s) bounds it; waiting for it took the whole of it.
    const closed = d.close().then(() => 'closed');
    assert.equal(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still closing'), 2500))]), 'closed');
    flag.dispose();
  }
  assert.equal(restarted, false, 'no replacement served, and none was announced');
});

test('a second share() of a buffer whose first is still waiting for a busy worker waits too', async () => {
  const d = await start<typeof crashCalls>({ workers: 1, calls: crashUrl });
  try {
    const view = new Int32Array(new SharedArrayBuffer(8));
    view[0] = 7;
    d.post(1, 'busy', 300);
    const first = d.share(view.buffer);
    await d.share(view.buffer);
    assert.equal(await d.call(1, 'read', view), 7);
    await first;
  } finally {
    await d.close();
  }
});
