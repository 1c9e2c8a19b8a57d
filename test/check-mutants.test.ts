import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutants } from '#internal/check/mutants.js';
import { checkMutant } from '#internal/check/cli.js';

test('every deliberately broken protocol is caught by the checker', async () => {
  // Among them: the races the redesign moved into the checked protocol.
  for (const name of ['cancel-load-store', 'cancel-hides-queue', 'death-skips-lane', 'plain-publish', 'notify-one', 'link-after-free', 'adopt-frees-all']) {
    assert.ok(mutants.some((m) => m.name === name), `mutant ${name} is listed`);
  }
  for (const m of mutants) {
    const r = await checkMutant(m);
    assert.ok(r?.failure, `mutant ${m.name} was not caught`);
  }
});
