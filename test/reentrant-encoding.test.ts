import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/reentrant-calls.js';

const url = new URL('./fixtures/reentrant-calls.js', import.meta.url);
const { LoudOnEncode, LoudOnDecode } = (await import(url.href)) as typeof import('./fixtures/reentrant-calls.js');

type Described = { kind: string; json: string }[];
const x300 = 'x'.repeat(300);
const z200 = 'z'.repeat(200);

/** The call either delivers exactly what was sent, or fails with an smpcall code: never something else. */
function intactOrRefused(send: () => unknown, check: (got: unknown) => void): void {
  let got: unknown;
  try {
    got = send();
  } catch (e) {
    assert.match(String((e as { code?: unknown }).code), /^ERR_SMPCALL_/, `refused with a code: ${(e as Error).message}`);
    return;
  }
  check(got);
}


test('an argument whose getter makes a call while the arguments are being encoded still arrives intact', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const arg = {
      a: x300,
      get b(): number {
        return (d.callSync(1, 'echo', { inner: 'y'.repeat(500) }) as { inner: string }).inner.length;
      },
      c: z200,
    };
    intactOrRefused(
      () => d.callSync(1, 'echo', arg),
      (got) => assert.deepEqual(got, { a: x300, b: 500, c: z200 }),
    );
  } finally {
    await d.close();
  }
});

test("a registered class whose encode makes a call doesn't corrupt the other arguments of the call being encoded", async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    intactOrRefused(
      () => d.callSync(1, 'describe', x300, new LoudOnEncode('hello'), z200) as Described,
      (got) => {
        const g = got as Described;
        assert.deepEqual(
          g.map((x) => [x.kind, x.json]),
          [
            ['string', JSON.stringify(x300)],
            ['LoudOnEncode', JSON.stringify({ v: 'hello' })],
            ['string', JSON.stringify(z200)],
          ],
        );
      },
    );
  } finally {
    await d.close();
  }
});

test("a registered class whose decode makes a call on the receiving agent doesn't corrupt the rest of what it receives", async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    intactOrRefused(
      () => d.callSync(1, 'echo', [new LoudOnDecode('a'), 'w'.repeat(300)]),
      (got) => {
        const [first, second] = got as [InstanceType<typeof LoudOnDecode>, string];
        assert.equal(first.v, 'a');
        assert.equal(second, 'w'.repeat(300));
      },
    );
    assert.equal(d.callSync(1, 'echo', 5), 5, 'the agent still serves');
  } finally {
    await d.close();
  }
});
