import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { start, codes } from 'smpcall';
import type calls from './fixtures/fault-calls.js';

const url = new URL('./fixtures/fault-calls.js', import.meta.url);
const known = new Set<string>(Object.values(codes));

/** Every failure must be an error smpcall knows, with a stable code. */
function assertClear(e: unknown): void {
  const code = (e as { code?: string })?.code;
  assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
  assert.ok(code !== undefined && known.has(code), `error without a known code: ${(e as Error).stack}`);
}

const target = fc.oneof(
  fc.integer({ min: -2, max: 5 }),
  fc.double(),
  fc.constantFrom(undefined, null, '1', [1], {}, Symbol('x'), 1n),
);
const name = fc.oneof(fc.constantFrom('work', 'echo', 'relay', 'count', 'nope', '__proto__', 'constructor', 'toString'), fc.string());
const args = fc.array(fc.anything({ withBigInt: true, withTypedArray: true, withNullPrototype: true }), { maxLength: 6 });

test('random targets, names and arguments get a result or a clear coded error, and never break the domain', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url, arenaPerSlot: 4096, spin: 10 });
  try {
    const loose = d as unknown as { callSync(...a: unknown[]): unknown; call(...a: unknown[]): Promise<unknown>; post(...a: unknown[]): void };
    await fc.assert(
      fc.asyncProperty(target, name, args, fc.constantFrom('callSync', 'call', 'post'), async (t, n, a, kind) => {
        try {
          if (kind === 'callSync') loose.callSync(t, n, ...a);
          else if (kind === 'call') await loose.call(t, n, ...a);
          else loose.post(t, n, ...a);
        } catch (e) {
          assertClear(e);
        }
      }),
      { numRuns: 600 },
    );
    // Still healthy: every agent answers, and no slot leaked.
    assert.deepEqual(await d.onEach('work', 2), [7, 7, 7]);
    d.callManySync([1, 2], 'work', 0);
    for (const s of d.stats()) assert.equal(s.freeSlots, 64, `agent ${s.agent} leaked a slot`);
  } finally {
    await d.close();
  }
});

test('whatever echo carries comes back equal, in both directions', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, spin: 10 });
  try {
    const value = fc.anything({ withBigInt: true, withTypedArray: true, maxDepth: 3 });
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        let got: unknown;
        try {
          got = d.callSync(1, 'echo', v);
        } catch (e) {
          // Refused values are refused clearly, at the caller.
          assertClear(e);
          return;
        }
        assert.deepStrictEqual(got, v);
        assert.deepStrictEqual(await d.call(1, 'echo', v), v);
      }),
      { numRuns: 400 },
    );
  } finally {
    await d.close();
  }
});
