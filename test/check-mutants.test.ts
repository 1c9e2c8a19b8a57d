import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutants } from '#internal/check/mutants.js';
import { checkMutant } from '#internal/check/cli.js';

test('the deliberately broken protocols include the races the redesign moved into the checked protocol, and the restart ones', () => {
  for (const name of ['cancel-load-store', 'cancel-hides-queue', 'death-skips-lane', 'plain-publish', 'notify-one', 'link-after-free', 'adopt-frees-all', 'no-push-intent', 'fence-trusts-old-exchange', 'reuse-listed-slot']) {
    assert.ok(mutants.some((m) => m.name === name), `mutant ${name} is listed`);
  }
});

// One test per mutant: each has the whole per-test timeout (the slowest takes about a minute here).
for (const m of mutants) {
  test(`the checker catches the broken protocol ${m.name}`, async () => {
    const r = await checkMutant(m);
    assert.ok(r?.failure, `mutant ${m.name} was not caught`);
  });
}
