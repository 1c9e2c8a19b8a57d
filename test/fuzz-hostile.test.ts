import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codes, start } from 'smpcall';
import calls, { BadDecode, MainOnly } from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);
const known = new Set<string>(Object.values(codes));

/** Every failure is an Error with a code smpcall knows (a remote one carries its own under cause). */
function assertClear(e: unknown): void {
  assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
  const code = (e as { code?: string }).code;
  assert.ok(code !== undefined && known.has(code), `error without a known code: ${(e as Error).stack}`);
}

/** Values a receiver cannot decode, or a sender cannot encode. */
const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withTypedArray: true, withNullPrototype: true, maxDepth: 3 }),
  fc.integer({ min: 1, max: 5 }).map((v) => new BadDecode(v)),
  fc.integer({ min: 1, max: 5 }).map((v) => new MainOnly(v)),
  fc.integer({ min: 0, max: 2000 }).map((depth) => {
    let v: unknown = 0;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  }),
  fc.constant(
    Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('a getter that throws');
      },
    }),
  ),
  fc.constantFrom(() => 1, Symbol('s'), new WeakMap()),
);
const names = fc.constantFrom<string>('echo', 'take', 'add', 'paren', 'max', 'nope', '__proto__');
const targets = fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(undefined, '1', 1.5, NaN));
const options = fc.oneof(
  fc.record({ timeoutMs: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constantFrom(Infinity, -1, NaN, 2 ** 31)) }, { requiredKeys: [] }),
  fc.constantFrom(null, 5, { signal: {} }, { signal: AbortSignal.abort() }, {}),
);
const entries = fc.constantFrom('call', 'callSync', 'post', 'callWith', 'callSyncWith', 'callMany', 'callManySettled', 'callManySync', 'postMany', 'onEach', 'onEachSync', 'callCond', 'callAny');

test('hostile values, targets and options at every entry get a result or a coded error, and the domain stays whole', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url, spin: 10, stallMs: 10_000 });
  const reports: unknown[] = [];
  d.on('error', (r) => reports.push(r)); // posts that fail on their target land here, not as crashes
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately untyped: the point is values the types forbid
    const x = d as any;
    await fc.assert(
      fc.asyncProperty(entries, targets, names, fc.array(hostile, { maxLength: 3 }), options, async (entry, t, n, a, o) => {
        try {
          switch (entry) {
            case 'call':
              await x.call(t, n, ...a);
              break;
            case 'callSync':
              x.callSync(t, n, ...a);
              break;
            case 'post':
              x.post(t, n, ...a);
              break;
            case 'callWith':
              await x.callWith(o, t, n, ...a);
              break;
            case 'callSyncWith':
              x.callSyncWith(o, t, n, ...a);
              break;
            case 'callMany':
              await x.callMany([t, 1], n, ...a);
              break;
            case 'callManySettled':
              for (const r of await x.callMany({ targets: [t, 2], settle: true }, n, ...a)) if (r.status === 'rejected') assertClear(r.reason);
              break;
            case 'callManySync':
              x.callManySync([1, t], n, ...a);
              break;
            case 'postMany':
              x.postMany([t], n, ...a);
              break;
            case 'onEach':
              await x.onEach(n, ...a);
              break;
            case 'onEachSync':
              x.onEachSync(n, ...a);
              break;
            case 'callCond':
              await x.callCond(typeof t === 'number' ? (id: number) => id !== t : t, n, ...a);
              break;
            case 'callAny':
              await x.callAny(n, ...a);
              break;
          }
        } catch (e) {
          assertClear(e);
        }
      }),
      { numRuns: 300 },
    );
    // Still whole: every agent answers, no slot leaked, and every post failure was reported, coded.
    assert.deepEqual(await d.onEach('whoami'), [0, 1, 2]);
    await new Promise((r) => setTimeout(r, 200));
    for (const s of d.stats()) assert.equal(s.freeSlots, 64, `agent ${s.agent} leaked a slot`);
    for (const r of reports) assert.ok(known.has((r as { code: string }).code));
  } finally {
    await d.close();
  }
});
