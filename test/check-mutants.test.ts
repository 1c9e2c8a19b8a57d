import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutants } from '#internal/check/mutants.js';
import { checkMutant } from '#internal/check/cli.js';

test('every deliberately broken protocol is caught by the checker', async () => {
  assert.ok(mutants.length >= 5);
  for (const m of mutants) {
    const r = await checkMutant(m);
    assert.ok(r?.failure, `mutant ${m.name} was not caught`);
  }
});
